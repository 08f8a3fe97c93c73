#!/usr/bin/env python3
"""A web of REAL article text copied the way republishers really copy, for provenance quality.

The article bodies are the real ones of ``../shared/bench/extraction/truth.json`` (news of many
outlets and languages; never used in tests). Each is published by its own outlet (its real
host), and copied by republishers with real habits, rendered as HTML and run through the real
extraction (``extract.page.extract_page``: trafilatura, attribution detection):

- ``mirror``: the whole article, a promo above, "The original source of this article is
  <a href=...>Outlet</a>", a disclaimer and a donation appeal below (Global Research style);
- ``teaser``: the first 30-40% of the paragraphs, then "Read the full article at <a>Outlet</a>",
  with a ``rel=canonical`` to the original; ``brief``: the same without the canonical;
- ``namecred``: the whole article, "Originally published by Outlet." with no link, and a
  publication time three hours *before* the original's (a time-zone slip);
- ``editdesk``: an editor's intro, ~3% of the words changed, another headline, "Source: <a>";
- ``silent``: the whole article, no credit, a few hours later;
- a fifth of the outlets are not crawled: their articles exist only as copies that credit them
  (the cluster's origin must still name them), and some originals are crawled a night *after*
  a copy (the original of the cluster changes on a later night).

Distractors, which must never share a cluster with the article they resemble: ``followup``
(another real article quoting two paragraphs of it, ending with "Source: <a>Outlet</a>"),
``same_event`` (another real article that shares one or two of its sentences), and listing
pages (teasers of many articles, linked).

Scored over three nights (``provenance.dedupe_records`` with the cross-night signature
history): pair precision and recall of cross-posted pairs, the right original for every
member of each cross-posted cluster (as each night wrote it, and with the current answer of
the last night that touched the cluster), origin of uncrawled sources, distractors merged.

Usage: benchmarks/realistic_web.py [--seed 1] [--root /path/to/other/checkout]  (``--root``
runs the same web through another checkout's code: before/after in the same run)
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import html
import itertools
import json
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
# shared/ beside the checkout (or beside the folder of worktrees), as extract_quality.py reads it
TRUTH = next((p / "shared" / "bench" / "extraction" / "truth.json" for p in (ROOT.parent, ROOT.parent.parent)
              if (p / "shared" / "bench" / "extraction" / "truth.json").exists()),
             ROOT.parent / "shared" / "bench" / "extraction" / "truth.json")
NIGHTS = [dt.date(2026, 11, 18) + dt.timedelta(days=i) for i in range(5)]  # originals on the first 3
HABITS = ("mirror", "teaser", "brief", "namecred", "editdesk", "silent")
PROMO = ("Support independent media: we depend on readers like you. Click the share button above and "
         "forward this article to your friends and colleagues.")
DISCLAIMER = ("Disclaimer: The contents of this article are of sole responsibility of the author(s). The "
              "Mirror will not be responsible for any inaccurate or incorrect statement in this article.")
DONATE = "Become a member and help us fight censorship. Donate today."
INTROS = ("Editor's note: we republish this report because our readers asked about it.",
          "This piece caught our eye this week; our editors have lightly adapted it.",
          "We are sharing this article in full. The views are the author's own.")


def outlet(url: str) -> str:
    """A display name for a real host: ``www.nytimes.com`` -> ``Nytimes``."""
    host = urlparse(url).hostname or ""
    parts = [p for p in host.split(".") if p not in ("www", "hosted", "blog")]
    return parts[0].capitalize() if parts else host


def headline(url: str) -> str:
    """A headline from the URL's slug (the bodies come without their titles)."""
    parts = [p for p in urlparse(url).path.split("/") if re.search(r"[a-z]{3}", p)]
    slug = re.sub(r"\.\w+$", "", parts[-1] if parts else "news")
    return " ".join(slug.replace("_", "-").split("-")[:12]).capitalize()


def page(title: str, body: str, *, site_name: str, published: dt.datetime, canonical: str | None = None,
         author: str = "Staff") -> str:
    """An article page with the usual metadata and a little site furniture."""
    head = [f'<meta property="og:site_name" content="{html.escape(site_name)}">',
            f'<meta property="og:title" content="{html.escape(title)}">', '<meta property="og:type" content="article">',
            f'<meta property="article:published_time" content="{published:%Y-%m-%dT%H:%M:%SZ}">',
            f'<meta name="author" content="{html.escape(author)}">']
    if canonical:
        head.append(f'<link rel="canonical" href="{html.escape(canonical)}">')
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)} | "
            f"{html.escape(site_name)}</title>{''.join(head)}</head><body><header>"
            f"<a href=\"/\">{html.escape(site_name)}"
            f"</a><nav><a href=\"/world/\">World</a> <a href=\"/about/\">About</a></nav></header><main><article>"
            f"<h1>{html.escape(title)}</h1><p class=\"byline\">By {html.escape(author)}</p>{body}</article></main>"
            f"<footer><p>&copy; 2026 {html.escape(site_name)}. All rights reserved.</p></footer></body></html>")


def paras(paragraphs) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def link(url: str, name: str) -> str:
    return f'<a href="{html.escape(url)}">{html.escape(name)}</a>'


def edit_words(rng: random.Random, paragraphs: list[str], share: float) -> list[str]:
    out = []
    for p in paragraphs:
        words = p.split(" ")
        for i in rng.sample(range(len(words)), int(len(words) * share)):
            words[i] = rng.choice(("reportedly", "officials", "local", "new", "major", "said"))
        out.append(" ".join(words))
    return out


def build(seed: int, truth_file: Path = TRUTH):
    """Pages (url, site, night, html, published) and the truth: label per page, originals, origins,
    distractor pairs."""
    rng = random.Random(f"realistic-web:{seed}")
    bodies = json.loads(truth_file.read_text())
    arts = [(v["url"], [p.strip() for p in v["articleBody"].split("\n") if p.strip()])
            for _, v in sorted(bodies.items())]
    arts = [(u, ps) for u, ps in arts if len(" ".join(ps).split()) >= 150 and len(ps) >= 3]
    rng.shuffle(arts)
    # A distractor's own text is a real article published nowhere else (else it would be a copy of it).
    arts, pool = arts[:len(arts) * 2 // 3], arts[len(arts) * 2 // 3:]
    pages, truth = [], {"label": {}, "original": {}, "origin": {}, "distractors": [], "uncrawled": set()}
    hosts = sorted({urlparse(u).hostname for u, _ in arts})
    uncrawled = set(rng.sample(hosts, len(hosts) // 5))
    for n, (url, ps) in enumerate(arts):
        name, title = outlet(url), headline(url)
        when = dt.datetime.combine(NIGHTS[n % 3], dt.time(rng.randint(6, 20), rng.randint(0, 59)))
        members = []  # (url, published, habit)
        host = urlparse(url).hostname
        if host in uncrawled:
            truth["uncrawled"].add(url)
        else:
            night = when.date() + dt.timedelta(days=1 if rng.random() < 0.1 else 0)  # a late crawl
            pages.append(dict(url=url, site=host, night=night, published=when,
                              html=page(title, paras(ps), site_name=name, published=when)))
            members.append((url, when, "original"))
        habits = rng.sample(HABITS, rng.randint(1, 4))
        if host in uncrawled:  # its copies credit it by URL (the Global Research / RT case)
            habits = ["mirror"] + [h for h in habits if h in ("teaser", "brief") and h != "mirror"]
        for habit in habits:
            members.append(copy_page(rng, pages, habit, url, name, title, ps, when, n))
        label = url
        for u, _, _ in members:
            truth["label"][u] = label
        if len(members) > 1:
            crawled_original = url if host not in uncrawled else min(
                (m for m in members if m[2] == "mirror"), key=lambda m: m[1])[0]
            truth["original"][label] = crawled_original
            truth["origin"][label] = url
        for kind in ("followup", "same_event"):
            if pool and rng.random() < 0.35:
                other = pool.pop()
                truth["distractors"].append((url, distractor(rng, pages, truth, kind, url, name, ps, other, when, n),
                                             kind))
    for k in range(4):
        truth["distractors"] += listing(rng, pages, truth, arts[k * 10:(k + 1) * 10], k)
    return pages, truth


def copy_page(rng, pages, habit, url, name, title, ps, when, n):
    """One republisher's copy of an article; returns (url, published, habit)."""
    site = f"{habit}.example"
    curl = f"http://{site}/{n}/{habit}-copy"
    lag = dt.timedelta(hours=rng.randint(1, 40))
    published = when - dt.timedelta(hours=3) if habit == "namecred" else when + lag
    body, canonical, ctitle = ps, None, title
    if habit == "mirror":
        html_body = (f"<p><i>{PROMO}</i></p>{paras(ps)}<div class=\"source\"><p>The original source of this article "
                     f"is {link(url, name)}</p></div><p>{DISCLAIMER}</p><p>{DONATE}</p>")
    elif habit in ("teaser", "brief"):
        share, keep = rng.uniform(0.3, 0.4) * len(" ".join(ps).split()), 1
        while len(" ".join(ps[:keep]).split()) < share:
            keep += 1
        html_body = f"{paras(ps[:keep])}<p>{link(url, 'Read the full article at ' + name)}</p>"
        canonical = url if habit == "teaser" else None
    elif habit == "namecred":
        html_body = f"{paras(ps)}<p><em>Originally published by {html.escape(name)}.</em></p>"
    elif habit == "editdesk":
        body = edit_words(rng, ps, 0.03)
        ctitle = "Update: " + title[:60]
        html_body = f"<p>{rng.choice(INTROS)}</p>{paras(body)}<p>Source: {link(url, name)}</p>"
    else:  # silent
        html_body = paras(ps)
    night = max(published.date(), NIGHTS[0])
    pages.append(dict(url=curl, site=site, night=night, published=published,
                      html=page(ctitle, html_body, site_name=habit.capitalize() + " News", published=published,
                                canonical=canonical)))
    return curl, published, habit


def distractor(rng, pages, truth, kind, url, name, ps, other, when, n) -> str:
    """A page that resembles ``url``'s article without copying it (its own label)."""
    ourl, ops = other
    own = list(ops)
    if kind == "followup":
        start = rng.randrange(max(1, len(ps) - 2))
        quoted = ps[start:start + 2]
        body = (paras(own[:2]) + f"<p>As {html.escape(name)} reported:</p>" + "".join(
            f"<blockquote><p>{html.escape(q)}</p></blockquote>" for q in quoted) + paras(own[2:])
            + f"<p>Source: {link(url, name)}</p>")
    else:
        sentences = [s for s in " ".join(ps).split(". ") if len(s.split()) > 6][:2]
        body = paras(own[:1] + [s + "." for s in sentences] + own[1:])
    durl = f"http://commentary.example/{n}/{kind}"
    published = when + dt.timedelta(hours=rng.randint(2, 30))
    pages.append(dict(url=durl, site="commentary.example", night=published.date(),
                      published=published,
                      html=page(headline(ourl), body, site_name="Commentary", published=published)))
    truth["label"][durl] = durl
    return durl


def listing(rng, pages, truth, arts, k):
    """A listing page of teasers (headline link + first paragraph) of ten articles."""
    url = f"http://teaser.example/latest/{k}"
    items = "".join(f'<div class="teaser"><h2><a href="{html.escape(u)}">{html.escape(headline(u))}</a></h2>'
                    f"<p>{html.escape(ps[0][:300])}</p></div>" for u, ps in arts)
    body = (f"<!doctype html><html><head><title>Latest | Teaser</title></head><body><h1>Latest</h1>{items}"
            f"</body></html>")
    pages.append(dict(url=url, site="teaser.example", night=NIGHTS[k % 3],
                      published=dt.datetime.combine(NIGHTS[k % 3], dt.time(23)), html=body))
    truth["label"][url] = url
    return [(u, url, "listing") for u, _ in arts]


def records(pages) -> list[dict]:
    """Each page through the real extraction (as the crawl would hand it over)."""
    from extract.page import extract_page

    out = []
    for p in pages:
        rec = extract_page(p["html"], p["url"], site=p["site"], crawl_date=p["night"], http_status=200,
                           fetched_at=f"{p['night']}T23:30:00Z", content_type="text/html; charset=utf-8")
        rec["_night"] = p["night"].isoformat()
        out.append(rec)
    return out


def run_nights(recs: list[dict]) -> tuple[dict, dict]:
    """Dedupe night by night with the signature history; (assignment per URL as written,
    current state per cluster after the last night)."""
    from crosspost.dedupe import clusters as provenance
    from crosspost.dedupe import signature_index as signatures
    from crosspost.lake.store import open_store

    written, current = {}, {}
    with tempfile.TemporaryDirectory(prefix="realistic-web-") as tmp:
        store = open_store(tmp)
        for night in NIGHTS:
            day = night.isoformat()
            history = signatures.load_history(store, day)
            result = provenance.dedupe_records([r for r in recs if r["_night"] == day], history)
            signatures.write_segment(store, day, result, history.basis)
            written.update({a["url"]: a for a in result.assignments})
            for a in result.assignments:  # without a clusters table: the latest row of each cluster
                current[a["cluster_id"]] = a["original_url"]
            for c in getattr(result, "clusters", []):
                current[c["cluster_id"]] = c
    return written, current


def score(recs, written, current, truth) -> dict:
    """Pair precision/recall, original accuracy, origin accuracy, distractors merged."""
    got = {u: a["cluster_id"] for u, a in written.items()}
    labels = {u: lab for u, lab in truth["label"].items() if u in got}
    true_pairs = _pairs(labels)
    got_pairs = _pairs({u: got[u] for u in labels})
    found = true_pairs & got_pairs
    out = {"pages": len(recs), "ok": sum(r["status"] == "ok" for r in recs), "true_pairs": len(true_pairs),
           "precision": len(found) / max(len(got_pairs), 1), "recall": len(found) / max(len(true_pairs), 1),
           "false_pairs": sorted(got_pairs - true_pairs)[:4], "missed_pairs": sorted(true_pairs - got_pairs)[:4]}
    by_label = collections.defaultdict(list)
    for u, lab in labels.items():
        by_label[lab].append(u)
    right_written = right_current = right_origin = n_clusters = n_uncrawled = 0
    missed = []
    for label, members in by_label.items():
        if label not in truth["original"] or len(members) < 2:
            continue
        n_clusters += 1
        want = truth["original"][label]
        right_written += all(written[m]["original_url"] == want for m in members)
        states = [current[written[m]["cluster_id"]] for m in members]
        ok = all((s["original_url"] if isinstance(s, dict) else s) == want for s in states)
        right_current += ok
        if not ok:
            missed.append((want, sorted({(s["original_url"] if isinstance(s, dict) else s) for s in states})))
        if label in truth["uncrawled"]:
            n_uncrawled += 1
            right_origin += all(isinstance(s, dict) and s.get("origin_url") == label for s in states)
    out.update(clusters=n_clusters, original_as_written=right_written / max(n_clusters, 1),
               original_current=right_current / max(n_clusters, 1), uncrawled_clusters=n_uncrawled,
               origin_right=right_origin / max(n_uncrawled, 1), missed_originals=missed[:5])
    merged = collections.Counter(why for a, b, why in truth["distractors"]
                                 if a in got and b in got and got[a] == got[b])
    out["distractors"] = dict(collections.Counter(why for *_, why in truth["distractors"]))
    out["distractors_merged"] = dict(merged)
    relation = collections.Counter((written[u]["relation"]) for u in labels if u in written)
    out["relations"] = dict(relation)
    out["not_ok_copies"] = sum(1 for r in recs if r["status"] != "ok" and "example" in r["url"]
                               and "latest" not in r["url"] and "commentary" not in r["url"])
    return out


def _pairs(labels: dict[str, str]) -> set[tuple[str, str]]:
    groups = collections.defaultdict(list)
    for u, lab in labels.items():
        groups[lab].append(u)
    return {tuple(sorted(p)) for g in groups.values() for p in itertools.combinations(g, 2)}


def run(seed: int, truth_file: Path) -> dict:
    pages, truth = build(seed, truth_file)
    recs = records(pages)
    written, current = run_nights(recs)
    return score(recs, written, current, truth)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--root", help="another checkout to run the same web through (e.g. main)")
    parser.add_argument("--truth", type=Path, default=TRUTH, help="truth.json with the real article bodies")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run(args.seed, args.truth), default=str))
        return
    rows = {}
    for name, root in (("this checkout", ROOT), *((("--root", Path(args.root)),) if args.root else ())):
        cmd = [sys.executable, __file__, "--child", "--seed", str(args.seed), "--truth", str(args.truth.resolve())]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=root,
                              env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
        if done.returncode:
            sys.exit(done.stderr)
        rows[name] = json.loads(done.stdout.splitlines()[-1])
    for name, r in rows.items():
        print(f"== {name}: {r['pages']} pages ({r['ok']} ok), {r['true_pairs']} true pairs, {r['clusters']} "
              f"cross-posted clusters ({r['uncrawled_clusters']} with an uncrawled source)")
        print(f"   pair precision {r['precision']:.4f}  recall {r['recall']:.4f}  (goal >= 0.995 / >= 0.99)")
        print(f"   right original on every member: current answer {r['original_current']:.3f}, as each night "
              f"wrote it {r['original_as_written']:.3f}  (goal >= 0.97)")
        print(f"   origin = the uncrawled source: {r['origin_right']:.3f}")
        print(f"   distractors {r['distractors']}, merged {r['distractors_merged'] or 'none'}")
        print(f"   relations {r['relations']}; copies not extracted as articles {r['not_ok_copies']}")
        for what in ("false_pairs", "missed_pairs"):
            if r[what]:
                print(f"   {what.replace('_', ' ')} (first 4): {r[what]}")
        if r["missed_originals"]:
            print(f"   wrong originals (want, got): {r['missed_originals']}")


if __name__ == "__main__":
    main()
