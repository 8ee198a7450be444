# Fuzzing rules (make fuzz): filled in by fuzz/README.md
