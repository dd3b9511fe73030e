; php: to be written
