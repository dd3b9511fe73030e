; cpp: to be written
