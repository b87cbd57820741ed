// Placeholder entry point: the CLI work replaces it.
return 0;
