# Writes LIB.sha256: "<sha256> <size>", read by the Java loader to check an extracted copy.
file(SHA256 "${LIB}" hash)
file(SIZE "${LIB}" size)
file(WRITE "${LIB}.sha256" "${hash} ${size}\n")
