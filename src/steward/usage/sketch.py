"""HyperLogLog: estimate how many distinct visitors a dataset had in a day from keyed hashes,
keeping 4,096 one-byte registers instead of the hashes (pure; Flajolet et al. 2007, with the
linear-counting correction for small counts, which are exact in practice).

A register keeps only the longest run of leading zero bits seen in its bucket, so a sketch
cannot be turned back into hashes, and two sketches made with different keys cannot be matched.
"""

from __future__ import annotations

import math

PRECISION = 12
REGISTERS = 1 << PRECISION  # standard error about 1.04 / sqrt(4096) = 1.6%
_WIDTH = 64 - PRECISION


def empty() -> bytearray:
    return bytearray(REGISTERS)


def add(registers: bytearray, digest: bytes) -> None:
    """Count one visitor hash (at least 8 bytes; the first 8 are used)."""
    value = int.from_bytes(digest[:8], "big")
    bucket = value >> _WIDTH
    rest = value & ((1 << _WIDTH) - 1)
    rank = _WIDTH - rest.bit_length() + 1
    if rank > registers[bucket]:
        registers[bucket] = rank


def merge(first: bytes | bytearray, second: bytes | bytearray) -> bytearray:
    """The sketch of both sets: the larger register of each bucket."""
    if len(first) != REGISTERS or len(second) != REGISTERS:
        raise ValueError("sketches of different sizes")
    return bytearray(max(a, b) for a, b in zip(first, second, strict=True))


def estimate(registers: bytes | bytearray) -> int:
    """Distinct hashes counted.

    >>> import hashlib
    >>> sketch = empty()
    >>> for n in range(3):
    ...     add(sketch, hashlib.sha256(b"visitor %d" % n).digest())
    >>> add(sketch, hashlib.sha256(b"visitor 0").digest())  # a second visit counts once
    >>> estimate(sketch), estimate(empty())
    (3, 0)
    >>> big = empty()
    >>> for n in range(20_000):
    ...     add(big, hashlib.sha256(b"v%d" % n).digest())
    >>> abs(estimate(big) - 20_000) < 20_000 * 0.05
    True
    """
    zeros = registers.count(0)
    if zeros == REGISTERS:
        return 0
    alpha = 0.7213 / (1 + 1.079 / REGISTERS)
    raw = alpha * REGISTERS * REGISTERS / sum(2.0**-r for r in registers)
    if raw <= 2.5 * REGISTERS and zeros:
        raw = REGISTERS * math.log(REGISTERS / zeros)
    return round(raw)
