// ExplorerApp: placeholder until its issue lands.
