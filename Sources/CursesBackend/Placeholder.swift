// CursesBackend: placeholder until its issue lands.
