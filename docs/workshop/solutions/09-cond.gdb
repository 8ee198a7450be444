break square if x == 3
continue
up
print total
delete
continue
