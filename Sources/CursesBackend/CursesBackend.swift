// placeholder while writing
