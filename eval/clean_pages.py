"""Generated news pages with a known article body, for scoring and timing the cleaner.

Real ECB+ article text (clean, first line the headline) is wrapped in one of
several page templates that carry the furniture real sites have: navigation,
breadcrumbs, cookie banners, share bars, newsletter boxes, inline "read more"
links, author boxes, comment threads and forms, related-article teasers taken
from *other* articles, sidebars and footers. The gold body is the article
text without its headline. Used by ``eval/score_clean.py`` and
``benchmarks/bench_clean.py``.
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass
from pathlib import Path

ECB = Path(__file__).resolve().parents[2] / "shared" / "dev" / "ecb"

SECTIONS = [
    "World",
    "Politics",
    "Business",
    "Sport",
    "Technology",
    "Science",
    "Health",
    "Culture",
    "Opinion",
]
COMMENTS = [
    "Great article, thanks for sharing this with us.",
    "I don't agree with any of this. The media never tells the whole story and you know it.",
    "This is exactly what I was saying last week, nobody listened.",
    "Can someone explain why this is only being reported now?",
    "Thoughts and prayers to everyone affected.",
    "Typical. Same thing happens every year and nothing changes.",
    "Well written, but you left out the most important part about the budget.",
    "Who is paying for all of this? Certainly not the people in charge.",
]
AUTHORS = [
    "Maria Lopez",
    "James Whitfield",
    "Anika Rao",
    "Tom Becker",
    "Staff Reporter",
    "Lena Okafor",
]


@dataclass
class Page:
    html: str
    body: str  # gold article body, one paragraph per line, headline excluded
    headline: str
    template: str


def load_articles(limit: int | None = None) -> list[tuple[str, list[str]]]:
    """(headline, body paragraphs) of the ECB+ articles, in file order."""
    articles = []
    for path in sorted(ECB.glob("*.txt"))[:limit]:
        lines = [
            line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
        if len(lines) >= 3:
            articles.append((lines[0], lines[1:]))
    return articles


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _teasers(
    rng: random.Random, others: list[tuple[str, list[str]]], n: int
) -> list[tuple[str, str]]:
    picked = rng.sample(others, min(n, len(others)))
    teasers = []
    for headline, body in picked:
        words = body[0].split()
        teasers.append((headline, " ".join(words[: rng.randint(14, 24)]) + "..."))
    return teasers


def _nav(rng: random.Random) -> str:
    items = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in rng.sample(SECTIONS, 6))
    return f'<nav class="main-nav"><ul><li><a href="/">Home</a></li>{items}</ul></nav>'


def _comments(rng: random.Random) -> str:
    items = "".join(
        f'<li class="comment"><div class="comment-author">{_e(rng.choice(AUTHORS))} says:</div>'
        f'<div class="comment-content"><p>{_e(c)}</p></div><a class="reply" href="#">Reply</a></li>'
        for c in rng.sample(COMMENTS, rng.randint(2, 5))
    )
    return (
        f'<div id="comments" class="comments-area"><h2 class="comments-title">{rng.randint(2, 40)} thoughts on this</h2>'
        f'<ol class="comment-list">{items}</ol>'
        '<div id="respond" class="comment-respond"><h3>Leave a Reply</h3>'
        '<p class="comment-notes">Your email address will not be published. Required fields are marked *</p>'
        "<form><label>Comment</label><textarea></textarea><label>Name *</label><input><label>Email *</label><input>"
        '<input type="submit" value="Post Comment"></form></div></div>'
    )


def _site_chrome(rng: random.Random) -> tuple[str, str, str]:
    """What makes real pages heavy: scripts and styles in the head, a mega menu, a footer link farm.

    Real news pages weigh 50-500 KB of HTML around a few KB of article text;
    without this the extractor's share of the work would be unrealistically small.
    """
    words = [
        "news",
        "world",
        "local",
        "sport",
        "business",
        "markets",
        "weather",
        "travel",
        "video",
        "podcasts",
        "live",
        "events",
        "puzzles",
    ]
    style = "".join(
        f".c{i}{{margin:{i % 7}px;padding:{i % 5}px;color:#{i * 2654435761 % 0xFFFFFF:06x};display:flex}}"
        for i in range(400)
    )
    script = "".join(
        f"window.__cfg{i}={{id:{i},slot:'ad-{i}',sizes:[[300,250],[728,90]],lazy:{str(i % 2 == 0).lower()}}};"
        for i in range(300)
    )
    head = f"<style>{style}</style><script>{script}</script>"
    menu = "".join(
        f'<li class="menu-item"><a href="/{rng.choice(words)}/{i}">{rng.choice(words).title()} {i}</a>'
        f'<ul class="sub">{"".join(f"<li><a href=/{i}/{j}>{rng.choice(words).title()}</a></li>" for j in range(6))}</ul></li>'
        for i in range(18)
    )
    mega_menu = f'<div class="mega-menu" aria-hidden="true"><ul>{menu}</ul></div>'
    links = "".join(
        f'<li><a href="/{rng.choice(words)}/{i}">{rng.choice(words).title()}</a></li>'
        for i in range(80)
    )
    footer = f'<div class="footer-links"><ul>{links}</ul></div><script>{script[:4000]}</script>'
    return head, mega_menu, footer


def _with_chrome(rng: random.Random, page_html: str) -> str:
    head, mega_menu, footer = _site_chrome(rng)
    page_html = page_html.replace("</head>", head + "</head>", 1)
    page_html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + mega_menu, page_html, count=1)
    return page_html.replace("</body>", footer + "</body>", 1)


def _paragraphs(body: list[str]) -> str:
    return "".join(f"<p>{_e(p)}</p>" for p in body)


def _wordpress(rng, headline, body, others) -> str:
    section = rng.choice(SECTIONS)
    teasers = "".join(
        f'<li><a href="/{_slug(h)}">{_e(h)}</a><p>{_e(t)}</p></li>'
        for h, t in _teasers(rng, others, 4)
    )
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_e(headline)} | The Daily Ledger</title>
<meta property="og:title" content="{_e(headline)}"></head><body class="single-post">
<header class="site-header"><div class="site-title"><a href="/">The Daily Ledger</a></div>
<p>Connect with us</p><form class="search-form"><input placeholder="Hi, what are you looking for?"></form>{_nav(rng)}</header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main">
<article class="post type-post"><header class="entry-header"><span class="cat-links"><a href="/{section.lower()}">{section}</a></span>
<h1 class="entry-title">{_e(headline)}</h1><div class="entry-meta">Posted on <time>March 3, 2014</time> by <a href="/author">{_e(rng.choice(AUTHORS))}</a></div></header>
<div class="entry-content">{_paragraphs(body)}</div>
<footer class="entry-footer"><div class="sharedaddy"><h3>Share this:</h3><ul><li><a href="#">Twitter</a></li><li><a href="#">Facebook</a></li><li><a href="#">WhatsApp</a></li></ul></div>
<div class="author-box"><h4>About Author</h4><p>{_e(rng.choice(AUTHORS))} writes about {section.lower()} and current affairs.</p></div></footer></article>
{_comments(rng)}</main></div>
<aside id="secondary" class="widget-area"><section class="widget"><h2 class="widget-title">Latest Updates</h2><ul>{teasers}</ul></section></aside></div>
<footer class="site-footer"><p>&copy; 2014 The Daily Ledger. All rights reserved.</p><a href="/privacy">Privacy Policy</a> <a href="/terms">Terms of Use</a></footer>
</body></html>"""


def _modern(rng, headline, body, others) -> str:
    cut = rng.randint(1, max(1, len(body) - 1))
    read_more_h, _ = _teasers(rng, others, 1)[0]
    related = "".join(
        f'<div class="card"><a href="/{_slug(h)}"><h3>{_e(h)}</h3></a><p>{_e(t)}</p></div>'
        for h, t in _teasers(rng, others, 3)
    )
    newsletter = (
        '<div class="newsletter-box"><h4>Get the morning briefing</h4><p>Sign up for our newsletter and never miss a story.</p>'
        '<form><input type="email" placeholder="Email address"><button>Subscribe</button></form></div>'
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{_e(headline)} - Metro Herald</title>
<meta name="description" content="{_e(body[0][:150])}"></head><body>
<div class="cookie-banner" role="dialog"><p>We use cookies to personalise content and ads and to analyse our traffic. By continuing you accept our use of cookies.</p><button>Accept all</button><button>Manage settings</button></div>
<header><a class="logo" href="/">Metro Herald</a>{_nav(rng)}<a href="/login">Sign in</a><a href="/subscribe">Subscribe</a></header>
<main><nav class="breadcrumb"><a href="/">Home</a> › <a href="/news">News</a> › <a href="/news/world">{rng.choice(SECTIONS)}</a></nav>
<article><h1>{_e(headline)}</h1><p class="byline">By {_e(rng.choice(AUTHORS))} · 4 min read</p>
<figure><img src="/img/1.jpg" alt=""><figcaption>File photo. (Metro Herald)</figcaption></figure>
<div class="article-body">{_paragraphs(body[:cut])}
<p class="read-more"><strong>READ MORE:</strong> <a href="/{_slug(read_more_h)}">{_e(read_more_h)}</a></p>
{newsletter}{_paragraphs(body[cut:])}</div>
<div class="share-bar"><span>Share this article</span><a href="#">Facebook</a><a href="#">Twitter</a><a href="#">Email</a><a href="#">Copy link</a></div>
<div class="tags"><a href="/t/1">{rng.choice(SECTIONS)}</a><a href="/t/2">{rng.choice(SECTIONS)}</a></div></article>
<aside class="related"><h2>Related stories</h2>{related}</aside></main>
<footer><ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li><li><a href="/ads">Advertise</a></li></ul><p>© Metro Herald Media Group</p></footer>
</body></html>"""


def _div_soup(rng, headline, body, others) -> str:
    links = " | ".join(f'<a href="/{s.lower()}">{s}</a>' for s in rng.sample(SECTIONS, 5))
    popular = "".join(
        f'<div class="pop-item"><a href="/{_slug(h)}">{_e(h)}</a></div>'
        for h, _ in _teasers(rng, others, 5)
    )
    text = "<br><br>".join(_e(p) for p in body)
    return f"""<html><head><title>{_e(headline)}</title></head><body>
<div id="top"><div class="logo">NEWS24 ONLINE</div><div class="links">{links}</div><div class="login"><a href="#">Login</a> / <a href="#">Register</a></div></div>
<div id="wrap"><div class="col-left"><div class="ad">Advertisement</div><div class="mostpopular"><b>Most Popular</b>{popular}</div></div>
<div class="col-main"><div class="hdl">{_e(headline)}</div><div class="dt">{rng.randint(1, 28)} Jan 2012 - {rng.randint(1, 12)}:{rng.randint(10, 59)} GMT</div>
<div class="txt">{text}</div><div class="tools"><a href="#">Print</a> <a href="#">Email to a friend</a> <a href="#">Share</a></div>
<div class="cmts"><b>Comments ({rng.randint(0, 99)})</b><div>Click to comment</div></div></div></div>
<div id="bottom">Copyright 2012 NEWS24 ONLINE. All rights reserved. <a href="#">Back to top</a></div></body></html>"""


def _schema_org(rng, headline, body, others) -> str:
    also = "".join(
        f'<li><a href="/{_slug(h)}"><span class="title">{_e(h)}</span></a><span class="summary">{_e(t)}</span></li>'
        for h, t in _teasers(rng, others, 4)
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{_e(headline)}</title>
<meta property="og:title" content="{_e(headline)}"><script type="application/ld+json">{{"@type":"NewsArticle","headline":"{_e(headline)}"}}</script></head>
<body><div class="topbar"><a href="/">The Observer Post</a><a href="/search">Search</a><a href="/menu">Menu</a></div>
<div class="container" itemscope itemtype="http://schema.org/NewsArticle"><h1 itemprop="headline">{_e(headline)}</h1>
<div class="meta"><span itemprop="author">{_e(rng.choice(AUTHORS))}</span> <span>Updated {rng.randint(1, 12)} hours ago</span></div>
<div class="social"><a href="#">Share on Facebook</a><a href="#">Share on Twitter</a><a href="#">Pin it</a></div>
<div itemprop="articleBody">{_paragraphs(body)}</div>
<div class="disqus"><div id="disqus_thread"></div><p>Please enable JavaScript to view the comments powered by Disqus.</p></div>
<section class="also-like"><h3>You may also like</h3><ul>{also}</ul></section></div>
<div class="footer"><p>Follow us on Facebook, Twitter and Instagram</p><p>© The Observer Post 2013 | Privacy | Cookies | Terms</p></div></body></html>"""


def _magazine(rng, headline, body, others) -> str:
    half = max(1, len(body) // 2)
    sub = rng.choice(["What happened next", "Background", "Reactions", "The investigation"])
    trending = "".join(
        f"<li><a href='/{_slug(h)}'>{_e(h)}</a></li>" for h, _ in _teasers(rng, others, 5)
    )
    next_h, next_t = _teasers(rng, others, 1)[0]
    return f"""<!DOCTYPE html><html><head><title>{_e(headline)} — Weekly Review</title></head><body>
<header><div class="brand">Weekly Review</div>{_nav(rng)}<div class="search"><input placeholder="Search"></div></header>
<div class="layout"><section class="story"><div class="kicker">{rng.choice(SECTIONS)}</div><h1>{_e(headline)}</h1>
<div class="author">Written By <a href="#">{_e(rng.choice(AUTHORS))}</a></div>
<div class="counters"><span class="views">{rng.randint(0, 9)}</span> <span class="shares">{rng.randint(10, 999)}</span></div>
<div class="story-body">{_paragraphs(body[:half])}<h2>{_e(sub)}</h2>{_paragraphs(body[half:])}</div>
<div class="next-story"><span>Up next</span><a href="/{_slug(next_h)}"><h3>{_e(next_h)}</h3></a><p>{_e(next_t)}</p></div>
{_comments(rng)}</section>
<aside><h3>Trending now</h3><ol>{trending}</ol><div class="ad">Advertisement</div></aside></div>
<footer><p>Weekly Review is published by Review Media Ltd. Registered in England.</p><p><a href="#">Cookie settings</a></p></footer></body></html>"""


TEMPLATES = {
    "wordpress": _wordpress,
    "modern": _modern,
    "div_soup": _div_soup,
    "schema_org": _schema_org,
    "magazine": _magazine,
}


def _gold_body(page_html: str, body: list[str]) -> list[str]:
    """The article paragraphs, plus the subheading a template put inside the article."""
    match = (
        re.search(r"<h2>([^<]+)</h2>", page_html.split('class="story-body"', 1)[-1])
        if "story-body" in page_html
        else None
    )
    if not match:
        return body
    half = max(1, len(body) // 2)
    return body[:half] + [html.unescape(match.group(1))] + body[half:]


def generate_pages(
    n_articles: int | None = None, templates: list[str] | None = None, seed: int = 7
) -> list[Page]:
    """One page per (article, template); teasers come from other articles."""
    rng = random.Random(seed)
    articles = load_articles()
    chosen = articles[:n_articles] if n_articles else articles
    names = templates or list(TEMPLATES)
    pages = []
    for index, (headline, body) in enumerate(chosen):
        others = articles[:index] + articles[index + 1 :]
        for name in names:
            page_html = _with_chrome(rng, TEMPLATES[name](rng, headline, body, others))
            gold = _gold_body(page_html, body)
            pages.append(
                Page(html=page_html, body="\n".join(gold), headline=headline, template=name)
            )
    return pages
