continue
monitor mode
info registers rip
x/i $pc
kill
