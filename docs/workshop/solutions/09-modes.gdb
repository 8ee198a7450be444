info registers rip cs
monitor mode
break *0x10029
continue
monitor mode
stepi
info registers rip
break *0x1009f
continue
monitor mode
info registers rip cs
delete
continue
