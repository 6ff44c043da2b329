// InceptionRuntime: placeholder until its issue lands.
