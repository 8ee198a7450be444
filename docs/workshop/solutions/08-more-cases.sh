# Lesson 8, exercise 2: a case that must fail (08-ci.sh ... MORE-CASES).
check fox-9-lines fox.txt 0 0 "lines 9, words 9, bytes 44"
