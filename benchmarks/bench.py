"""Benchmark credsafe against plain boto3, in the same run, alternating.

Usage::

    python benchmarks/bench.py            # the full run (about two minutes)
    python benchmarks/bench.py --quick    # a smoke run: fewer rounds
    python benchmarks/bench.py --json out.json

Every measurement runs in a fresh interpreter (a worker: this script with
``--worker``), so neither side profits from the other's caches. Rounds alternate
the order (boto3 then credsafe, then credsafe then boto3, ...). For each benchmark
the script prints the median of each side, and the ratio credsafe / boto3 as the
median of the per-round ratios with the spread of those ratios (min to max).

The environment of the workers is hermetic: a temporary HOME, no AWS files, no
AWS_* variables but those set here, and the instance-metadata endpoint
(``AWS_EC2_METADATA_SERVICE_ENDPOINT``) pointed at 127.0.0.1. Nothing is sent
anywhere but 127.0.0.1.

Benchmarks:

1. ``import``: ``import credsafe`` vs ``import boto3``.
2. ``session_client``: ``Session()`` plus ``.client("sts")``, working credentials.
3. ``api_calls``: 1,000 ``GetCallerIdentity`` calls against a local endpoint.
4. ``fail_refused``: no credentials, IMDS refusing connections: from
   ``Session()`` to the exception of the first API call.
5. ``fail_silent``: the same with IMDS accepting connections and never answering
   (botocore waits out its timeouts once; credsafe must not wait a second time).
6. ``memory``: peak memory (tracemalloc, after imports) of 2 and 3, and the
   resident set size of those processes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

IMPLS = ("boto3", "credsafe")
TARGETS = {
    "import": 1.10,
    "session_client": 1.02,
    "api_calls": 1.02,
    "fail_refused": 1.10,
    "fail_silent": 1.05,
    "memory_session_client": 1.02,
    "memory_api_calls": 1.02,
}
# Rounds per benchmark (each round runs both sides once): full run, --quick run.
ROUNDS = {
    "import": (21, 5),
    "session_client": (11, 3),
    "api_calls": (9, 3),
    "fail_refused": (15, 3),
    "fail_silent": (4, 2),
    "memory": (3, 1),
}
SESSION_CLIENT_REPEATS = 20
API_CALLS = 1000
API_WARMUP = 50

_IDENTITY = (
    b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
    b"<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/bench</Arn>"
    b"<UserId>AIDAEXAMPLEBENCHUSER</UserId><Account>123456789012</Account>"
    b"</GetCallerIdentityResult><ResponseMetadata><RequestId>"
    b"00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>"
    b"</GetCallerIdentityResponse>"
)


# -- servers (run in the driver process) -----------------------------------------


class _STSHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real endpoint
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls per response

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        # One write per response: headers and body in the same segment.
        self.wfile.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(_IDENTITY), _IDENTITY)
        )

    def log_message(self, *args: Any) -> None:
        pass


def _sts_server_main() -> None:
    """Run the STS stand-in until stdin closes (a separate process: no GIL sharing)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _STSHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.read()
    server.shutdown()


@contextlib.contextmanager
def sts_server() -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve-sts"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)


@contextlib.contextmanager
def silent_server() -> Iterator[str]:
    """Accept connections and never answer; each is closed after 30 s at most."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    sock.settimeout(0.2)
    held: list[tuple[float, socket.socket]] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                conn, _ = sock.accept()
                held.append((time.monotonic(), conn))
            while held and held[0][0] < time.monotonic() - 30:
                held.pop(0)[1].close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for _, conn in held:
            conn.close()
        sock.close()


def closed_port_url() -> str:
    """A loopback URL nothing listens on: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# -- workers (run in fresh interpreters) -----------------------------------------


def _session_class(impl: str) -> Any:
    if impl == "credsafe":
        import credsafe  # noqa: PLC0415

        return credsafe.Session
    import boto3  # noqa: PLC0415

    return boto3.Session


def work_session_client(impl: str, args: argparse.Namespace) -> dict[str, float]:
    session_class = _session_class(impl)
    times, cpus = [], []
    for _ in range(SESSION_CLIENT_REPEATS):
        start, cpu = time.perf_counter(), time.process_time()
        session_class().client("sts", endpoint_url=args.endpoint)
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    # The first creation loads and caches service models: report the steady state.
    return {
        "value": statistics.median(times[1:]),
        "cpu": statistics.median(cpus[1:]),
        "first": times[0],
    }


def work_api_calls(impl: str, args: argparse.Namespace) -> dict[str, float]:
    client = _session_class(impl)().client("sts", endpoint_url=args.endpoint)
    for _ in range(API_WARMUP):
        client.get_caller_identity()
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(API_CALLS):
        client.get_caller_identity()
    return {"value": time.perf_counter() - start, "cpu": time.process_time() - cpu}


def _fail_once(session_class: Any, impl: str, endpoint: str) -> tuple[float, float]:
    import botocore.exceptions  # noqa: PLC0415

    start, cpu = time.perf_counter(), time.process_time()
    try:
        session_class().client("sts", endpoint_url=endpoint).get_caller_identity()
    except botocore.exceptions.NoCredentialsError as exc:
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu
        diagnosed = hasattr(exc, "diagnosis")
    else:
        raise SystemExit("expected NoCredentialsError")
    if diagnosed != (impl == "credsafe"):
        raise SystemExit(f"{impl}: diagnosed={diagnosed}")
    return elapsed, cpu


def work_fail(impl: str, args: argparse.Namespace) -> dict[str, float]:
    """The first failure of a fresh process, then later ones in the same process.

    The first pays one-time costs (botocore loads service models; credsafe imports
    its diagnosis code); the later ones are what a long-running process sees.
    """
    import logging  # noqa: PLC0415

    # credsafe logs one error line per failure through stdlib logging; keep the
    # terminal quiet (a handler that drops records, as an application's would).
    logging.getLogger("credsafe").addHandler(logging.NullHandler())
    logging.getLogger("credsafe").propagate = False
    session_class = _session_class(impl)
    first, first_cpu = _fail_once(session_class, impl, args.endpoint)
    later = [_fail_once(session_class, impl, args.endpoint) for _ in range(args.repeat)]
    return {
        "value": first,
        "cpu": first_cpu,
        "steady": statistics.median(t for t, _ in later),
        "steady_cpu": statistics.median(c for _, c in later),
    }


def work_memory(impl: str, args: argparse.Namespace) -> dict[str, float]:
    import resource  # noqa: PLC0415
    import tracemalloc  # noqa: PLC0415

    session_class = _session_class(impl)
    # One warm-up session, client and call: the allocations measured are those of
    # the work, not the one-time loading of service models and of the modules
    # credsafe imports on first use (those show in the max RSS of the process).
    session_class().client("sts", endpoint_url=args.endpoint).get_caller_identity()
    if not args.rss:
        tracemalloc.start()
    if args.what == "session_client":
        for _ in range(SESSION_CLIENT_REPEATS):
            session_class().client("sts", endpoint_url=args.endpoint)
    else:
        client = session_class().client("sts", endpoint_url=args.endpoint)
        for _ in range(API_CALLS):
            client.get_caller_identity()
    if args.rss:  # a run of its own: tracemalloc's bookkeeping would inflate it
        return {"rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024.0}
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"peak": float(peak)}


WORKERS: dict[str, Callable[[str, argparse.Namespace], dict[str, float]]] = {
    "import": lambda _impl, _args: {},  # run with `python -c`, see run_worker
    "session_client": work_session_client,
    "api_calls": work_api_calls,
    "fail_refused": work_fail,
    "fail_silent": work_fail,
    "memory": work_memory,
}


# -- driver ----------------------------------------------------------------------


def hermetic_env(home: Path, *, imds: str, credentials: bool) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "BOTO_", "ECS_", "AMAZON_"))
        and key.lower() not in {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}
    }
    env.update(
        HOME=str(home),
        AWS_CONFIG_FILE=str(home / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "no-credentials"),
        AWS_DEFAULT_REGION="us-east-1",
        AWS_EC2_METADATA_SERVICE_ENDPOINT=imds,
        AWS_METADATA_SERVICE_TIMEOUT="1",
        AWS_METADATA_SERVICE_NUM_ATTEMPTS="1",
        PYTHONHASHSEED="0",
    )
    if credentials:
        env.update(
            AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE",
            AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
    return env


_IMPORT_CODE = (
    "import time; t = time.perf_counter(); c = time.process_time(); import {impl}; "
    'print(\'{{"value": %r, "cpu": %r}}\' '
    "% (time.perf_counter() - t, time.process_time() - c))"
)


def run_worker(
    name: str, impl: str, env: dict[str, str], *extra: str
) -> dict[str, float]:
    if name == "import":
        # A pristine interpreter: nothing imported but what `python -c` imports.
        command = [sys.executable, "-c", _IMPORT_CODE.format(impl=impl)]
    else:
        command = [sys.executable, __file__, "--worker", name, "--impl", impl, *extra]
    out = subprocess.run(
        command,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"worker {name}/{impl} failed:\n{out.stdout}\n{out.stderr}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def alternate(
    rounds: int, run: Callable[[str], dict[str, float]]
) -> dict[str, list[dict[str, float]]]:
    results: dict[str, list[dict[str, float]]] = {impl: [] for impl in IMPLS}
    for i in range(rounds):
        order = IMPLS if i % 2 == 0 else IMPLS[::-1]
        for impl in order:
            results[impl].append(run(impl))
    return results


def summarize(
    name: str,
    results: dict[str, list[dict[str, float]]],
    key: str,
    unit: str,
    *,
    judged: bool = True,
) -> dict[str, Any]:
    base = [r[key] for r in results["boto3"]]
    ours = [r[key] for r in results["credsafe"]]
    ratios = sorted(c / b for b, c in zip(base, ours, strict=True))
    ratio = statistics.median(ratios)
    target = TARGETS.get(name) if judged else None
    return {
        "benchmark": name,
        "measure": key,
        "unit": unit,
        "rounds": len(base),
        "boto3": statistics.median(base),
        "credsafe": statistics.median(ours),
        "ratio": ratio,
        "ratio_min": ratios[0],
        "ratio_max": ratios[-1],
        "target": target,
        "ok": None if target is None else ratio <= target,
    }


_MEASURES = {
    "value": "wall",
    "cpu": "cpu",
    "steady": "later, wall",
    "steady_cpu": "later, cpu",
    "rss": "max rss",
    "peak": "tracemalloc",
}
# The measure each target is judged on: CPU time where the work is computation (a
# busy machine inflates wall time of either side at random), wall time where the
# point is waiting, and the peak of traced allocations for memory.
_JUDGED = {
    "fail_refused": ("cpu", "steady_cpu"),
    "fail_silent": ("value", "steady"),
}


def _fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:9.2f} ms"
    return f"{value / 1024 / 1024:9.2f} MiB"


def print_row(row: dict[str, Any]) -> None:
    verdict = "" if row["target"] is None else ("ok" if row["ok"] else "MISSED")
    target = "" if row["target"] is None else f"<= {row['target']:.2f}"
    label = f"{row['benchmark']} ({_MEASURES[row['measure']]})"
    print(
        f"{label:<30} {_fmt(row['boto3'], row['unit'])} "
        f"{_fmt(row['credsafe'], row['unit'])}   {row['ratio']:.3f} "
        f"[{row['ratio_min']:.3f}-{row['ratio_max']:.3f}]  {target:<8} {verdict}",
        flush=True,
    )


def machine() -> dict[str, str]:
    import importlib.metadata as md  # noqa: PLC0415

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    info = {
        "cpu": cpu,
        "nproc": str(os.cpu_count()),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    for dist in ("credsafe", "boto3", "botocore", "attrs", "structlog", "urllib3"):
        with contextlib.suppress(md.PackageNotFoundError):
            info[dist] = md.version(dist)
    return info


def main_driver(args: argparse.Namespace) -> int:
    which = 1 if args.quick else 0
    info = machine()
    print("credsafe vs boto3: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    print(
        f"{'benchmark':<30} {'boto3':>12} {'credsafe':>12}   ratio [spread]  target",
        flush=True,
    )
    rows = []
    selected = set(args.only or [*WORKERS])
    with tempfile.TemporaryDirectory() as tmp, sts_server() as endpoint:
        home = Path(tmp)
        refused = closed_port_url()
        ok_env = hermetic_env(home, imds=refused, credentials=True)
        ep = ("--endpoint", endpoint)
        # Warm the bytecode caches once so that no side pays for compiling.
        for impl in IMPLS:
            run_worker("import", impl, ok_env)

        def bench(name: str, env: dict[str, str], *extra: str) -> None:
            if name not in selected:
                return
            res = alternate(
                ROUNDS[name][which],
                lambda impl: run_worker(name, impl, env, *extra),
            )
            judged = _JUDGED.get(name, ("cpu",))
            keys = ("cpu", "value")
            if name.startswith("fail_"):
                keys = ("cpu", "value", "steady_cpu", "steady")
            for key in keys:
                rows.append(summarize(name, res, key, "s", judged=key in judged))
                print_row(rows[-1])

        bench("import", ok_env)
        bench("session_client", ok_env, *ep)
        bench("api_calls", ok_env, *ep)
        no_creds = hermetic_env(home, imds=refused, credentials=False)
        bench("fail_refused", no_creds, *ep, "--repeat", "5")
        with silent_server() as silent:
            no_creds = hermetic_env(home, imds=silent, credentials=False)
            bench("fail_silent", no_creds, *ep, "--repeat", "2")
        if "memory" in selected:
            for what in ("session_client", "api_calls"):
                res = alternate(
                    ROUNDS["memory"][which],
                    lambda impl, what=what: {  # type: ignore[misc]
                        **run_worker("memory", impl, ok_env, *ep, "--what", what),
                        **run_worker(
                            "memory", impl, ok_env, *ep, "--what", what, "--rss"
                        ),
                    },
                )
                rows.append(summarize(f"memory_{what}", res, "peak", "B"))
                print_row(rows[-1])
                rows.append(summarize(f"memory_{what}", res, "rss", "B", judged=False))
                print_row(rows[-1])
    missed = [row["benchmark"] for row in rows if row["ok"] is False]
    print("all targets met" if not missed else "targets missed: " + ", ".join(missed))
    if args.json:
        Path(args.json).write_text(
            json.dumps({"machine": info, "results": rows}, indent=2) + "\n"
        )
    return 0


def markdown(path: str) -> str:
    """The figures of a ``--json`` file as the Markdown table of docs/performance.md."""
    data = json.loads(Path(path).read_text())
    lines = [
        "| benchmark | measure | boto3 | credsafe | ratio | spread | target |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    for row in data["results"]:
        target = (
            ""
            if row["target"] is None
            else f"<= {row['target']:.2f} {'met' if row['ok'] else '**missed**'}"
        )
        lines.append(
            f"| {row['benchmark']} | {_MEASURES[row['measure']]} | "
            f"{_fmt(row['boto3'], row['unit']).strip()} | "
            f"{_fmt(row['credsafe'], row['unit']).strip()} | {row['ratio']:.3f} | "
            f"{row['ratio_min']:.3f} to {row['ratio_max']:.3f} | {target} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--only", action="append", choices=[*WORKERS])
    parser.add_argument("--worker", choices=[*WORKERS], help=argparse.SUPPRESS)
    parser.add_argument("--serve-sts", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--impl", choices=IMPLS, help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    parser.add_argument("--what", help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--rss", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--markdown", metavar="JSON", help="print a --json file as a table"
    )
    args = parser.parse_args()
    if args.markdown:
        print(markdown(args.markdown))
        return 0
    if args.serve_sts:
        _sts_server_main()
        return 0
    if args.worker:
        print(json.dumps(WORKERS[args.worker](args.impl, args)))
        return 0
    return main_driver(args)


if __name__ == "__main__":
    sys.exit(main())
