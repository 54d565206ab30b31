# Writes LIB.sha256: "<sha256> <size> <crc32>", read by the Java loader. The SHA-256 names the
# extracted copy (libmmap4j-<first 16 hex digits>.so); the size and CRC-32 check its bytes, with
# java.util.zip.CRC32 (native code, where a SHA-256 in Java runs interpreted in a fresh JVM:
# 2 to 4 ms of a first extraction, issue 27).
#
# CMake computes no CRC-32 itself, but a gzip member ends with the CRC-32 of what it holds and
# its size (both little-endian): so the library is compressed into a "raw" archive (one gzip
# member, CMake 3.18+) in WORK, and its last eight bytes read.
file(SHA256 "${LIB}" hash)
file(SIZE "${LIB}" size)
get_filename_component(name "${LIB}" NAME)
set(gz "${WORK}/${name}.crc.gz")
file(ARCHIVE_CREATE OUTPUT "${gz}" PATHS "${LIB}" FORMAT raw COMPRESSION GZip)
file(SIZE "${gz}" gz_size)
math(EXPR at "${gz_size} - 8")
file(READ "${gz}" trailer OFFSET ${at} HEX)
file(REMOVE "${gz}")
string(REGEX REPLACE "^(..)(..)(..)(..)(..)(..)(..)(..)$" "\\4\\3\\2\\1;\\8\\7\\6\\5" fields "${trailer}")
list(GET fields 0 crc)
list(GET fields 1 isize)
math(EXPR expected "${size} & 0xFFFFFFFF" OUTPUT_FORMAT HEXADECIMAL)
math(EXPR found "0x${isize}" OUTPUT_FORMAT HEXADECIMAL)
if(NOT found STREQUAL expected)
  message(FATAL_ERROR "checksum.cmake: the gzip trailer of ${LIB} gives size ${found}, not ${expected}")
endif()
file(WRITE "${LIB}.sha256" "${hash} ${size} ${crc}\n")
