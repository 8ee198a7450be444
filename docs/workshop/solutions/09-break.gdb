break square
continue
bt
print x
finish
next
step
info locals
delete
break read_cr0
continue
monitor mode
finish
monitor mode
print/x $cs
continue
