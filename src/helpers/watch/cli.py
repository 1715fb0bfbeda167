"""``python -m helpers watch DATA_DIR``: an early warning for cron — exit 0 quiet, 3 alert, 2 unusable input.

``--replay START END --every 1h`` backtests instead: the check as if run at every step, each alert with its
delay after the onset (and, on a synthetic dataset, against its planted crises).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

from helpers import crisis
from helpers.io import atomic_write_text, resolve_path, to_jsonable
from helpers.io.schema import DatasetError
from helpers.watch.window import DEFAULT_WINDOW_HOURS, history_hours
from helpers.watch.job import (STATE_FILE, AlertState, check, describe_alert, load, planted_crises, replay,
                               score_replay)
from helpers.watch.output import alert_document, write_outputs

__all__ = ["cli", "EXIT_QUIET", "EXIT_ALERT", "EXIT_UNUSABLE"]

EXIT_QUIET, EXIT_UNUSABLE, EXIT_ALERT = 0, 2, 3


class _Unusable(ValueError):
    pass


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m helpers watch", description=__doc__.splitlines()[0],
        epilog="exit status: 0 quiet, 3 a new alert (alert.json / alert.html written), 2 unusable input")
    p.add_argument("data_dir", help="canonical dataset folder")
    p.add_argument("--as-of", dest="as_of", help="check as of this moment (ISO date or timestamp; naive = UTC; "
                                                 "default now)")
    p.add_argument("--window-hours", type=float, default=DEFAULT_WINDOW_HOURS,
                   help=f"alarms in the last N hours before --as-of count (default {DEFAULT_WINDOW_HOURS})")
    p.add_argument("--out", default=".", help="folder for alert.json, alert.html and watch_state.json "
                                              "(default: the current folder)")
    p.add_argument("--brand", help="watch only this brand (default: every brand)")
    p.add_argument("--sentiment-backend", dest="backend",
                   help="auto (default: the dataset's own model in DATA_DIR/models/sentiment when it reads the "
                        "languages present, else textblob), textblob, vader or model:PATH")
    p.add_argument("--languages", help="comma-separated ISO 639-1 codes (default: dataset.json's, else ru,az,en)")
    p.add_argument("--baseline-days", type=int, default=crisis.DEFAULT_BASELINE_DAYS,
                   help=f"days of normal activity the alarm compares with (default {crisis.DEFAULT_BASELINE_DAYS})")
    p.add_argument("--replay", nargs=2, metavar=("START", "END"), help="backtest: check at every step from START to END")
    p.add_argument("--every", default="1h", help="replay step, e.g. 1h, 30min, 6h (default 1h)")
    p.add_argument("--no-progress", action="store_true", help="no progress lines during a replay")
    return p


def _moment(value: str | None, what: str) -> pd.Timestamp:
    if value is None:
        return pd.Timestamp.now(tz="UTC")
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise _Unusable(f"{what}: cannot read {value!r} as a date or timestamp (e.g. 2025-07-20 or "
                        "2025-07-20T06:00)") from None
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def _load(args: argparse.Namespace) -> crisis.CrisisData:
    path = resolve_path(args.data_dir)
    if not path.is_dir():
        raise _Unusable(f"{args.data_dir}: no such dataset folder")
    if args.baseline_days < 2:
        raise _Unusable(f"--baseline-days must be a whole number ≥ 2, got {args.baseline_days}")
    if not args.window_hours > 0:
        raise _Unusable(f"--window-hours must be > 0, got {args.window_hours}")
    langs = [x.strip() for x in args.languages.split(",") if x.strip()] if args.languages else None
    try:
        data = load(path, args.backend, langs, progress=not args.no_progress)
    except DatasetError as exc:
        raise _Unusable(str(exc)) from None
    except (crisis.CrisisError, FileNotFoundError, NotADirectoryError, ValueError) as exc:
        raise _Unusable(f"{args.data_dir}: {exc}") from None
    members = data.messages["author_role"].eq("member").fillna(False)
    if not members.any():
        raise _Unusable(f"{path}/messages: no member messages (author_role member) to watch")
    if args.brand is not None and not data.messages["brand"].eq(args.brand).any():
        known = ", ".join(sorted(data.messages["brand"].dropna().astype(str).unique())) or "none"
        raise _Unusable(f"--brand {args.brand!r} does not occur in {path}/messages (column brand); known: {known}")
    return data


def _info(data: crisis.CrisisData, args: argparse.Namespace, as_of: pd.Timestamp) -> dict[str, Any]:
    m = data.messages
    member = m[m["author_role"].eq("member").fillna(False).to_numpy()]
    recent = member[(member["created_at"] < as_of)
                    & (member["created_at"] >= as_of - pd.Timedelta(hours=history_hours(args.window_hours,
                                                                                      args.baseline_days)))]
    cov = float(recent["label"].notna().mean()) if len(recent) else None
    return {"window_hours": args.window_hours, "baseline_days": args.baseline_days,
            "sentiment_backend": data.sentiment_backend, "sentiment_coverage": cov,
            "member_messages_read": int(len(recent)),
            "last_message_at": member["created_at"].max().isoformat() if len(member) else None}


def _watch(args: argparse.Namespace) -> int:
    as_of = _moment(args.as_of, "--as-of")
    data = _load(args)
    out = Path(args.out)
    try:
        state = AlertState.read(out / STATE_FILE)
    except ValueError as exc:
        raise _Unusable(str(exc)) from None
    alerts = check(data, as_of, args.window_hours, args.baseline_days, args.brand)
    fresh = [describe_alert(data, a, args.window_hours, args.baseline_days) for a in state.new_alerts(alerts)]
    ongoing = [{"brand": a.brand, "channel": a.channel, "onset_at": a.onset_at.isoformat()}
               for a in alerts if a not in fresh]
    doc = alert_document("alert" if fresh else "quiet", as_of, data.data_dir, [a.record() for a in fresh], ongoing,
                         _info(data, args, as_of))
    try:
        paths = write_outputs(out, doc, data.timezone)
        state.write(out / STATE_FILE)
    except OSError as exc:
        print(f"error: cannot write into {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if not fresh:
        extra = f" ({len(ongoing)} episode(s) already raised)" if ongoing else ""
        print(f"quiet as of {as_of:%Y-%m-%d %H:%M} UTC{extra}")
        return EXIT_QUIET
    for a in fresh:
        neg = a.negative_share.get("since_onset_text") or "not scored"
        print(f"ALERT {a.brand or '(no brand)'} / {a.channel}: onset ≈ {a.onset_at:%Y-%m-%d %H:%M} UTC, "
              f"{a.volume['since_onset_messages']} member messages in {a.volume['since_onset_hours']} h "
              f"(baseline {a.volume['baseline_per_hour']}/h), negative share {neg} [{a.mode.split(':')[0]}]")
    print(f"written: {paths[0]} and {paths[1]}")
    return EXIT_ALERT


def _replay(args: argparse.Namespace) -> int:
    start, end = _moment(args.replay[0], "--replay START"), _moment(args.replay[1], "--replay END")
    if end <= start:
        raise _Unusable(f"--replay: END ({end}) must be after START ({start})")
    try:
        every = pd.Timedelta(args.every)
    except ValueError:
        raise _Unusable(f"--every: cannot read {args.every!r} as a duration (e.g. 1h, 30min)") from None
    if every < pd.Timedelta(minutes=5):
        raise _Unusable(f"--every must be at least 5 minutes, got {args.every!r}")
    data = _load(args)
    began = time.monotonic()
    tty = sys.stderr.isatty()
    last = [0.0]

    def tick(done: int, total: int) -> None:
        if args.no_progress:
            return
        now = time.monotonic()
        if done == total or now - last[0] >= (0.5 if tty else 30):
            last[0] = now
            msg = f"replay: {done}/{total} checks ({now - began:.0f} s)"
            print(("\r" + msg) if tty else msg, end="" if tty and done < total else "\n", file=sys.stderr, flush=True)

    raised = replay(data, start, end, every, args.window_hours, args.baseline_days, args.brand, tick=tick)
    planted = planted_crises(data.data_dir)
    summary = score_replay(raised, planted, start, end) if planted is not None else None
    steps = int((end - start) / every) + 1
    print(f"replay of {data.data_dir} from {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC every {args.every}: "
          f"{steps} checks, {len(raised)} alert(s), {time.monotonic() - began:.0f} s "
          f"(scorer {data.sentiment_backend})")
    for r in raised:
        print(f"  raised {r['raised_at'][:16]}  {r['brand'] or '(no brand)'} / {r['channel']}: onset ≈ "
              f"{r['onset_at'][:16]}, {r['delay_hours']:.1f} h after it; "
              f"{r['volume']['since_onset_messages']} messages, negative share "
              f"{r['negative_share'].get('since_onset_text') or 'not scored'}")
    if summary is not None:
        for c in summary["crises"]:
            print(f"  planted {c['incident_id']} onset {c['onset_at'][:16]}: "
                  + (f"caught {c['delay_hours']:.1f} h after the onset" if c["caught"] else "MISSED"))
        print(f"  {summary['caught']}/{summary['planted']} planted crises caught, median delay "
              f"{summary['median_delay_hours']} h; {summary['false_alarms']} false alarm(s) in "
              f"{summary['replayed_days']} days ({summary['false_alarms_per_year']} per year)")
    out = Path(args.out)
    doc = {"data_dir": str(data.data_dir), "start": start.isoformat(), "end": end.isoformat(), "every": args.every,
           "window_hours": args.window_hours, "sentiment_backend": data.sentiment_backend, "checks": steps,
           "alerts": raised, "planted": summary}
    try:
        out.mkdir(parents=True, exist_ok=True)
        atomic_write_text(out / "replay.json", json.dumps(to_jsonable(doc), ensure_ascii=False, indent=2))
    except OSError as exc:
        print(f"error: cannot write into {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"written: {out / 'replay.json'}")
    return 0


def cli(argv: list[str] | None = None) -> int:
    """``python -m helpers watch DATA_DIR [--as-of T] [--out DIR]`` or ``--replay START END --every 1h``."""
    try:
        args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:
        return int(exc.code or 0) and EXIT_UNUSABLE
    try:
        return _replay(args) if args.replay else _watch(args)
    except _Unusable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
