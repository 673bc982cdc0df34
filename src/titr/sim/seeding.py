"""NumPy's ``SeedSequence`` → ``PCG64`` seeding, in plain integer arithmetic.

A replication seeds one generator per consumer (a route's arrivals, each stage of each route,
each weather area: ~1,000 for the built-in year), each from ``SeedSequence(entropy,
spawn_key=(*stream, key))``. Building those objects costs ~12 µs each in NumPy, ~10 % of a
replication; the words they hash are the same up to the last one (the consumer's key). Here
the pool is mixed once up to that word (:class:`Prefix`), and each consumer adds its own word
and turns the pool into a PCG64 state, which is set on one reused bit generator: the same
numbers, a third of the cost.

The algorithms are NumPy's (``numpy/random/bit_generator.pyx``: ``SeedSequence`` with its
default pool of four 32-bit words, ``generate_state``; ``pcg64.pyx``: ``PCG64`` seeded from
a ``SeedSequence``, i.e. ``pcg_setseq_128_srandom_r``). NumPy keeps both stable across
versions (its policy on reproducible streams); ``tests/sim/test_seeding.py`` checks the
numbers against NumPy's own for many keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

M32 = 0xFFFFFFFF
M128 = (1 << 128) - 1
INIT_A, MULT_A = 0x43B0D7E5, 0x931E8875
INIT_B, MULT_B = 0x8B51F9DD, 0x58F38DED
MIX_L, MIX_R = 0xCA01F9DD, 0x4973F715
PCG_MULT = 0x2360ED051FC65DA44385DF649FCCF645
POOL = 4


def _words(n: int) -> list[int]:
    """A non-negative int as 32-bit words, least significant first (0 is one word)."""
    out = [n & M32]
    n >>= 32
    while n:
        out.append(n & M32)
        n >>= 32
    return out


def _consts(h: int, n: int, mult: int) -> tuple[list[int], int]:
    """The hash constants of ``n`` hashes from ``h`` (each hash XORs the current one, then
    multiplies by the next): ``n + 1`` values, and the last."""
    out = [h]
    for _ in range(n):
        h = (h * mult) & M32
        out.append(h)
    return out, h


def _mix(x: int, y: int) -> int:
    r = (MIX_L * x - MIX_R * y) & M32
    return r ^ (r >> 16)


class Prefix:
    """A ``SeedSequence`` pool mixed up to the last word of the spawn key."""

    def __init__(self, entropy: Sequence[int], spawn_key: Sequence[int]) -> None:
        run = [w for x in entropy for w in _words(int(x))]
        if len(run) < POOL:  # a spawn key follows: the run's words are padded to the pool
            run += [0] * (POOL - len(run))
        words = run + [w for x in spawn_key for w in _words(int(x))]
        h = INIT_A
        pool = []

        def hashmix(value: int) -> int:
            nonlocal h
            value ^= h
            h = (h * MULT_A) & M32
            value = (value * h) & M32
            return value ^ (value >> 16)

        for i in range(POOL):
            pool.append(hashmix(words[i]))
        for src in range(POOL):
            for dst in range(POOL):
                if src != dst:
                    pool[dst] = _mix(pool[dst], hashmix(pool[src]))
        for w in words[POOL:]:
            for dst in range(POOL):
                pool[dst] = _mix(pool[dst], hashmix(w))
        self.pool = pool
        self.key_h, _ = _consts(h, POOL, MULT_A)  # the hashes of the consumer's word

    def pcg64_state(self, key: int) -> dict[str, Any]:
        """The state of ``PCG64(SeedSequence(entropy, spawn_key=(*spawn_key, key)))``, for
        ``PCG64.state`` (``key``: one 32-bit word)."""
        kh = self.key_h
        pool = []
        for d in range(POOL):
            v = ((key ^ kh[d]) * kh[d + 1]) & M32
            pool.append(_mix(self.pool[d], v ^ (v >> 16)))
        w = []
        for i in range(8):  # generate_state(4, uint64): eight 32-bit words
            v = ((pool[i % POOL] ^ _STATE_H[i]) * _STATE_H[i + 1]) & M32
            w.append(v ^ (v >> 16))
        initstate = (w[1] << 96) | (w[0] << 64) | (w[3] << 32) | w[2]
        initseq = (w[5] << 96) | (w[4] << 64) | (w[7] << 32) | w[6]
        inc = ((initseq << 1) | 1) & M128
        state = ((inc + initstate) * PCG_MULT + inc) & M128
        return {"bit_generator": "PCG64", "state": {"state": state, "inc": inc},
                "has_uint32": 0, "uinteger": 0}


_STATE_H, _ = _consts(INIT_B, 8, MULT_B)
