// ConvEngine: placeholder until its issue lands.
