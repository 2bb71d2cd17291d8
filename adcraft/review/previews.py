"""Previews of the ads as they will run, one per ad, built from the lines of a brief (docs/review.md).

An ad is put together as the exports do (adcraft/publishing/ads.py): a Google responsive search ad pools a
brief's headlines and descriptions; a Meta feed ad and an email pair the fields of one variant; an SMS is one
line. Rejected lines are left out, as they will not run; a line still waiting for review is shown, and the
preview says how many of its lines still wait. A content type the app has no preview for lists its lines.
"""

from collections import defaultdict

from adcraft.review.present import display_url, sms_segments

RSA_SHOWN_HEADLINES, RSA_SHOWN_DESCRIPTIONS = 3, 2
"""What Google shows at most at once; the rest rotate in."""


def _runs(lines: list[dict]) -> list[dict]:
    return sorted((line for line in lines if line["decision"] != "rejected"), key=lambda x: (x["variant"], x["field"]))


def _texts(lines: list[dict], field: str) -> list[str]:
    return [line["text"] for line in lines if line["field"] == field]


def _waiting(lines: list[dict]) -> int:
    return sum(line["decision"] == "needs_review" for line in lines)


def _by_variant(lines: list[dict]) -> list[dict[str, str]]:
    variants: dict[int, dict[str, str]] = defaultdict(dict)
    for line in lines:
        variants[line["variant"]].setdefault(line["field"], line["text"])
    return [variants[v] for v in sorted(variants)]


def preview(content_type: str, lines: list[dict], context: dict) -> list[dict]:
    """The ads one brief's lines make, each a dict with its `kind` and what its template shows.

    context: brand (name), cta, link (the campaign's product link template), image (a banner's picture
    path under /media/banners, or None)."""
    running = _runs(lines)
    if not running:
        return [{"kind": "none", "waiting": 0}]
    sku = running[0]["sku"]
    waiting = _waiting(running)
    if content_type == "google_rsa":
        headlines, descriptions = _texts(running, "headline"), _texts(running, "description")
        more = max(0, len(headlines) - RSA_SHOWN_HEADLINES) + max(0, len(descriptions) - RSA_SHOWN_DESCRIPTIONS)
        return [{"kind": "google_rsa", "waiting": waiting, "headlines": headlines[:RSA_SHOWN_HEADLINES],
                 "descriptions": descriptions[:RSA_SHOWN_DESCRIPTIONS], "more": more,
                 "display_url": display_url(context.get("link"), sku)}]
    if content_type == "meta_feed":
        return [{"kind": "meta_feed", "waiting": waiting, "brand": context["brand"], "cta": context["cta"],
                 "primary_text": ad.get("primary_text", ""), "headline": ad.get("headline", ""),
                 "image": context.get("image"), "display_url": display_url(context.get("link"), sku)}
                for ad in _by_variant(running)]
    if content_type == "email":
        return [{"kind": "email", "waiting": waiting, "sender": context["brand"], "subject": ad.get("subject", ""),
                 "preheader": ad.get("preheader", "")} for ad in _by_variant(running)]
    if content_type == "sms":
        return [{"kind": "sms", "waiting": waiting, "text": line["text"], "segments": sms_segments(line["text"])[0],
                 "encoding": sms_segments(line["text"])[1], "chars": len(line["text"]), "sender": context["brand"]}
                for line in running]
    if content_type == "product_description":
        return [{"kind": "product_page", "waiting": waiting, "paragraphs": _texts(running, "paragraph")[:1],
                 "bullets": _texts(running, "bullet")}]
    return [{"kind": "lines", "waiting": waiting,
             "lines": [(line["field"].replace("_", " "), line["text"]) for line in running]}]
