#!/usr/bin/env python3
"""Score ``aggregator.extract`` on PolNeAR (train and dev; the test split is kept aside).

Usage::

    .venv/bin/python scripts/evaluate_statements.py [--split train|dev|all] [--limit N] [--json]
        [--dump FILE]
    .venv/bin/python scripts/evaluate_statements.py --lang ru|uk|fr|de|es [--split dev|test]
        [--misses] [--json]

``--lang`` scores the multilingual gold instead (tests/data/gold_statements, scoring in
scripts/gold_scoring.py): P, R and F1 at overlap >= 0.3, speaker and side accuracy.

``--dump FILE`` writes every prediction, one JSON object a line, sorted (article, offsets,
speaker, actor, role, side, cue, kind), so that two versions of the extractor can be diffed.

What is measured (issue 3):

* precision: a predicted statement is right when it overlaps the content span of a gold
  attribution (any attribution: speech, belief, report) with one-to-one matching;
* recall over *speech* attributions: the gold cue holds a speech verb (fixed list below, written
  independently of the extractor's lexicon) or the gold content holds a quotation mark (an
  apostrophe, as in "Clinton's", is not one);
* both at overlap >= 0.3 and >= 0.8, overlap = shared characters / length of the longer span;
* speaker accuracy over the pairs matched at 0.3 whose gold attribution has a Source: the
  predicted speaker span overlaps the gold Source span, or the resolved actor shares the
  surname-like capitalised token with the gold Source text, or the gold Source is a relative
  pronoun ("who") and the predicted speaker is the noun phrase right before it.

One annotator file per article: the first annotator id in sorted order, so runs are repeatable.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aggregator.extract import extract_statements  # noqa: E402
from aggregator.model import Statement  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
import gold_scoring  # noqa: E402
from gold_scoring import LANGUAGES  # noqa: E402

CORPORA = Path(os.environ.get("AGGREGATOR_CORPORA", ROOT.parent / "shared" / "corpora"))

# Communication verbs (Levin's "verbs of communication" and news reporting verbs), as stems.
# A gold attribution counts as speech when its cue holds one of these words.
SPEECH_STEMS = (
    "say",
    "said",
    "tell",
    "told",
    "add",
    "ask",
    "announc",
    "argu",
    "call",
    "claim",
    "comment",
    "confirm",
    "declar",
    "deni",
    "deny",
    "explain",
    "insist",
    "mention",
    "note",
    "noting",
    "remark",
    "repl",
    "report",
    "respond",
    "state",
    "stress",
    "suggest",
    "tweet",
    "warn",
    "wrote",
    "writ",
    "urg",
    "accus",
    "acknowledg",
    "admit",
    "assert",
    "charg",
    "complain",
    "conced",
    "contend",
    "describ",
    "emphasi",
    "predict",
    "pledg",
    "promis",
    "recall",
    "reiterat",
    "reject",
    "reveal",
    "vow",
    "according",
    "quot",
    "decri",
    "denounc",
    "condemn",
    "prais",
    "criticiz",
    "criticis",
    "blam",
    "boast",
    "cit",
    "declin",
    "disclos",
    "dismiss",
    "indicat",
    "joke",
    "lament",
    "point",
    "question",
    "recount",
    "rebut",
    "retort",
    "scoff",
    "shout",
    "signal",
    "testif",
    "testi",
    "threaten",
    "told",
    "touted",
    "tout",
    "mock",
    "maintain",
    "observ",
    "interview",
    "post",
    "telling",
    "speak",
    "spoke",
    "spok",
    "remind",
    "propos",
    "demand",
    "recommend",
    "advis",
    "counter",
    "conclud",
)
_SPEECH_RE = re.compile(
    r"\b(?:" + "|".join(sorted(set(SPEECH_STEMS), key=len, reverse=True)) + ")", re.IGNORECASE
)
# A quotation mark: a double quote (straight, curly, or the tokeniser's `` and ''), or a pair of
# single quotes around words ('rigged', ‘rigged’). A lone apostrophe is not one: "Clinton's
# strength" and "Sanders’ plan" are not quoted contents.
_QUOTED = re.compile(
    r"[\"“”]|``|''"
    # a single-quoted phrase: opens before a letter ("'60s" and "rock 'n' roll" do not), may
    # hold apostrophes between letters ("‘Trump’s wall’"), and crosses no other quotation mark
    r"|(?<!\w)['‘](?!n['’]\s)(?=[A-Za-z])(?:[^'‘’\"“”\n]|(?<=\w)['’](?=\w)){0,200}?[\w.,!?]['’](?!\w)"
)
_CAPITAL_WORD = re.compile(r"\b[A-Z][\w’'-]+")


@dataclass(frozen=True)
class Gold:
    """One gold attribution: content fragments, source fragments, cue text."""

    content: tuple[tuple[int, int], ...]
    source: tuple[tuple[int, int], ...]
    source_text: str
    cue: str
    speech: bool
    quoted: bool

    @property
    def length(self) -> int:
        return sum(e - s for s, e in self.content)


@dataclass
class Article:
    name: str
    text: str
    gold: list[Gold] = field(default_factory=list)


def _spans(field_text: str) -> tuple[tuple[int, int], ...]:
    out = []
    for part in field_text.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return tuple(out)


def is_quoted(text: str) -> bool:
    """Whether a gold content holds a quotation mark (an apostrophe is not one)."""
    return _QUOTED.search(text) is not None


def load_article(text_path: Path, ann_path: Path) -> Article:
    """Read one article and its brat standoff attributions."""
    text = text_path.read_text(encoding="utf-8")
    spans: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
    relations: list[dict[str, str]] = []
    for line in ann_path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if parts[0].startswith("T"):
            label, _, rest = parts[1].partition(" ")
            try:
                spans[parts[0]] = (label, _spans(rest))
            except ValueError:
                continue
        elif parts[0].startswith("E"):
            roles: dict[str, str] = {}
            for item in parts[1].split():
                role, _, ref = item.partition(":")
                roles[role] = ref
            relations.append(roles)
    article = Article(text_path.stem, text)
    for roles in relations:
        content_ref = roles.get("Content")
        if content_ref is None or content_ref not in spans:
            continue
        content = spans[content_ref][1]
        source = spans[roles["Source"]][1] if roles.get("Source") in spans else ()
        cue = (
            " ".join(text[s:e] for s, e in spans[roles["Cue"]][1])
            if roles.get("Cue") in spans
            else ""
        )
        content_text = " ".join(text[s:e] for s, e in content)
        quoted = is_quoted(content_text)
        speech = quoted or bool(_SPEECH_RE.search(cue)) or cue.strip() == ":"
        source_text = " ".join(text[s:e] for s, e in source)
        article.gold.append(Gold(content, source, source_text, cue, speech, quoted))
    return article


def load_split(split: str, limit: int | None = None) -> list[Article]:
    """Articles of one split (``train``, ``dev`` or ``all``), one annotator file each."""
    base = CORPORA / "polnear" / "data"
    splits = ["train", "dev"] if split == "all" else [split]
    articles: list[Article] = []
    for name in splits:
        ann_dir = base / name / "attributions"
        chosen: dict[str, Path] = {}
        for ann in sorted(ann_dir.glob("*.ann")):
            stem = ann.stem.rsplit("_", 1)[0]
            chosen.setdefault(stem, ann)
        for stem, ann in sorted(chosen.items()):
            text_path = base / name / "text" / f"{stem}.txt"
            if text_path.exists():
                articles.append(load_article(text_path, ann))
    if limit is not None:
        articles = articles[:limit]
    return articles


def _overlap(pred: tuple[int, int], gold: Gold) -> float:
    shared = sum(max(0, min(pred[1], e) - max(pred[0], s)) for s, e in gold.content)
    longer = max(pred[1] - pred[0], gold.length)
    return shared / longer if longer else 0.0


def _match(
    preds: Sequence[Statement], golds: Sequence[Gold], threshold: float
) -> list[tuple[int, int]]:
    """Greedy one-to-one matching by overlap, best pairs first."""
    pairs = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            if min(s for s, _ in g.content) >= p.end or max(e for _, e in g.content) <= p.start:
                continue
            ratio = _overlap((p.start, p.end), g)
            if ratio >= threshold:
                pairs.append((ratio, i, j))
    pairs.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((i, j))
    return out


def _same_speaker(pred: Statement, gold: Gold) -> bool:
    if pred.speaker_start is not None and pred.speaker_end is not None:
        for s, e in gold.source:
            if min(pred.speaker_end, e) > max(pred.speaker_start, s):
                return True
        # PolNeAR marks the relative pronoun ("officials, who said …"); its antecedent is the
        # noun phrase that ends right before it
        if gold.source_text.strip().lower() in {"who", "which", "that", "whom"}:
            gap = gold.source[0][0] - pred.speaker_end
            if 0 <= gap <= 3:
                return True
    names = {w.lower() for w in _CAPITAL_WORD.findall(pred.actor or pred.speaker or "")}
    gold_names = {w.lower() for w in _CAPITAL_WORD.findall(gold.source_text)}
    generic = {"the", "mr", "mrs", "ms", "dr", "he", "she", "they", "president", "senator"}
    return bool((names & gold_names) - generic)


_BASE_QUOTE = re.compile(
    r"[\"“]([^\"“”]{10,}?)[\"”],? (?:(\w+(?: \w+)?) (?:said|says)|(?:said|says) (\w+(?: \w+)?))"
)
_BASE_SAID = re.compile(
    r"([A-Z]\w+(?: [A-Z]\w+)?) (?:said|says|told \w+) (?:that )?([^.\"“”]{10,}?)\."
)


def baseline_extract(text: str) -> list[Statement]:
    """A deliberately small regex extractor, scored in the same harness for comparison."""
    out = []
    for m in _BASE_QUOTE.finditer(text):
        who = 2 if m.group(2) else 3
        out.append(
            Statement(
                m.group(0),
                m.start(),
                m.end(1) + 1,
                "direct",
                "said",
                m.group(who),
                m.start(who),
                m.end(who),
            )
        )
    for m in _BASE_SAID.finditer(text):
        out.append(
            Statement(
                m.group(2),
                m.start(2),
                m.end(2),
                "indirect",
                "said",
                m.group(1),
                m.start(1),
                m.end(1),
            )
        )
    return sorted(out, key=lambda st: st.start)


_DUMP_KEYS = (
    "start",
    "end",
    "kind",
    "speaker",
    "speaker_start",
    "speaker_end",
    "actor",
    "role",
    "side",
    "commentary",
    "cue",
    "cue_start",
    "cue_end",
)


def dump_line(article: str, statement: Statement) -> str:
    """One prediction as a JSON line (keys sorted), for diffing two runs."""
    record: dict[str, object] = {"article": article}
    record.update({key: getattr(statement, key) for key in _DUMP_KEYS})
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


# the forms of address a newspaper gives a surname ("Mr. Obama", "Mrs. Clinton"): the probe of
# pronoun agreement, written here apart from the extractor's own rules (aggregator/extract/gender)
_ADDRESSED = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.?\s+([A-Z][\w'’-]+)")
_PRONOUN_GENDER = {"he": "m", "she": "f"}


def evaluate(
    articles: Iterable[Article],
    extract: Callable[[str], list[Statement]] = extract_statements,
    dump: list[str] | None = None,
) -> dict[str, object]:
    """Run the extractor over the articles and compute every figure; with ``dump``, append
    every prediction to it as a JSON line."""
    counts: Counter[str] = Counter()
    kind_pred: Counter[str] = Counter()
    kind_right: Counter[str] = Counter()
    gold_kind: Counter[str] = Counter()
    gold_kind_found: Counter[str] = Counter()
    words = 0
    started = time.perf_counter()
    extract_seconds = 0.0
    n_articles = 0
    for article in articles:
        n_articles += 1
        words += len(article.text.split())
        t0 = time.perf_counter()
        preds = extract(article.text)
        extract_seconds += time.perf_counter() - t0
        counts["predicted"] += len(preds)
        if dump is not None:
            dump.extend(dump_line(article.name, p) for p in preds)
        counts["gold"] += len(article.gold)
        speech = [g for g in article.gold if g.speech]
        counts["gold_speech"] += len(speech)
        for g in speech:
            gold_kind["quoted" if g.quoted else "reported"] += 1
        addressed: dict[str, set[str]] = {}
        for match in _ADDRESSED.finditer(article.text):
            gender = "m" if match.group(1) == "Mr" else "f"
            addressed.setdefault(match.group(2), set()).add(gender)
        for pred in preds:
            kind_pred[pred.kind] += 1
            wanted = _PRONOUN_GENDER.get((pred.speaker or "").lower())
            if wanted is not None and pred.actor:
                counts["pronoun_resolved"] += 1
                genders = addressed.get(pred.actor.split()[-1])
                if genders:
                    # addressed, by surname, only as the other gender: "she" given "Mr. Obama"
                    counts["pronoun_addressed"] += 1
                    counts["pronoun_disagreeing"] += genders == {"m", "f"} - {wanted}
        for threshold, tag in ((0.3, "03"), (0.8, "08")):
            matched = _match(preds, article.gold, threshold)
            counts[f"tp_pred_{tag}"] += len(matched)
            counts[f"tp_speech_{tag}"] += sum(1 for _, j in matched if article.gold[j].speech)
            if tag == "03":
                for i, j in matched:
                    kind_right[preds[i].kind] += 1
                    g = article.gold[j]
                    if g.speech:
                        gold_kind_found["quoted" if g.quoted else "reported"] += 1
                    if g.source:
                        counts["speaker_pairs"] += 1
                        counts["speaker_right"] += _same_speaker(preds[i], g)
    result: dict[str, object] = {"articles": n_articles, "words": words}
    for tag, label in (("03", "0.3"), ("08", "0.8")):
        p = counts[f"tp_pred_{tag}"] / counts["predicted"] if counts["predicted"] else 0.0
        r = counts[f"tp_speech_{tag}"] / counts["gold_speech"] if counts["gold_speech"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        result[f"overlap_{label}"] = {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
        }
    pairs = counts["speaker_pairs"]
    result["speaker_accuracy"] = round(counts["speaker_right"] / pairs, 4) if pairs else 0.0
    # "he"/"she" resolved to a person whom the text addresses only as the other gender ("Mr."
    # against "she"), of those resolved to a person the text addresses at all
    addressed_pairs = counts["pronoun_addressed"]
    result["pronoun_gender_disagreement"] = (
        round(counts["pronoun_disagreeing"] / addressed_pairs, 4) if addressed_pairs else 0.0
    )
    result["counts"] = {
        "predicted": counts["predicted"],
        "gold_attributions": counts["gold"],
        "gold_speech": counts["gold_speech"],
        "matched_0.3": counts["tp_pred_03"],
        "matched_speech_0.3": counts["tp_speech_03"],
        "speaker_pairs": pairs,
        "pronouns_resolved": counts["pronoun_resolved"],
        "pronouns_resolved_to_an_addressed_person": addressed_pairs,
        "pronouns_disagreeing": counts["pronoun_disagreeing"],
    }
    result["by_predicted_kind"] = {
        k: {"predicted": kind_pred[k], "precision_0.3": round(kind_right[k] / kind_pred[k], 4)}
        for k in sorted(kind_pred)
    }
    result["recall_by_gold_kind"] = {
        k: {"gold": gold_kind[k], "recall_0.3": round(gold_kind_found[k] / gold_kind[k], 4)}
        for k in sorted(gold_kind)
    }
    elapsed = time.perf_counter() - started
    result["seconds"] = round(elapsed, 2)
    result["extract_articles_per_second"] = (
        round(n_articles / extract_seconds, 1) if extract_seconds else 0.0
    )
    return result


def _language(language: str, split: str, as_json: bool, misses: bool) -> int:
    """Score one language's gold split: P, R, F1 at 0.3, speaker and side accuracy."""
    if split not in {"dev", "test"}:
        print("error: --lang takes --split dev or test", file=sys.stderr)
        return 2
    articles = gold_scoring.load(language, split)
    if not articles:
        print(f"error: no {split} gold for {language}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    result = gold_scoring.score(articles, lambda text: extract_statements(text, language=language))
    result["seconds"] = round(time.perf_counter() - started, 2)
    result["language"] = language
    result["split"] = split
    listed = result.pop("misses")
    if as_json:
        print(json.dumps(result, indent=2))
        return 0
    print(
        f"{language} {split}: {result['articles']} articles, {result['gold']} gold statements, "
        f"{result['predicted']} predicted"
    )
    print(
        f"  overlap >= 0.3: P {result['precision']:.3f}  R {result['recall']:.3f}  "
        f"F1 {result['f1']:.3f}"
    )
    print(f"  speaker accuracy: {result['speaker_accuracy']:.3f}")
    print(f"  side accuracy: {result['side_accuracy']:.3f}")
    for line in listed if misses else ():
        print("  " + line)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--split",
        choices=["train", "dev", "test", "all"],
        default=None,
        help="PolNeAR: train, dev or all (default); with --lang: dev (default) or test",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="score the multilingual gold of one language (tests/data/gold_statements)",
    )
    parser.add_argument("--misses", action="store_true", help="with --lang: list the misses")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--baseline", action="store_true", help="score the small regex baseline instead"
    )
    parser.add_argument(
        "--dump", metavar="FILE", help="write every prediction to FILE, one JSON line each"
    )
    args = parser.parse_args(argv)
    if args.lang:
        return _language(args.lang, args.split or "dev", args.json, args.misses)
    args.split = args.split or "all"
    if args.split == "test":
        parser.error("PolNeAR's test split is kept aside: --split train, dev or all")
    if not (CORPORA / "polnear" / "data").is_dir():
        print(f"error: PolNeAR not found under {CORPORA}", file=sys.stderr)
        return 2
    extract = baseline_extract if args.baseline else extract_statements
    dump: list[str] | None = [] if args.dump else None
    result = evaluate(load_split(args.split, args.limit), extract, dump)
    if args.dump and dump is not None:
        Path(args.dump).write_text("".join(line + "\n" for line in sorted(dump)), "utf-8")
    result["split"] = args.split
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"PolNeAR {args.split}: {result['articles']} articles, {result['words']} words")
    for label in ("0.3", "0.8"):
        m = result[f"overlap_{label}"]
        assert isinstance(m, dict)
        print(
            f"  overlap >= {label}: P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}"
        )
    print(f"  speaker accuracy: {result['speaker_accuracy']:.3f}")
    print(
        "  pronouns resolved against their person's form of address: "
        f"{result['pronoun_gender_disagreement']:.3f}"
    )
    print(f"  counts: {result['counts']}")
    print(f"  by predicted kind: {result['by_predicted_kind']}")
    print(f"  recall by gold kind: {result['recall_by_gold_kind']}")
    print(
        f"  {result['seconds']} s total, extractor {result['extract_articles_per_second']} "
        "articles/s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
