; ruby: to be written
