"""The terminal view: a run summary and one story's dossier, deterministic at a fixed width."""

from __future__ import annotations

import io
import json
import re

import pytest
from rich.console import Console
from test_samples_report import SAMPLES, truth, truth_report
from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.errors import StoryNotFoundError
from newstrace.model import Report, Skipped
from newstrace.report._common import changed_tokens
from newstrace.report.terminal import print_story, print_summary, show_story


def render(draw, *args, width: int = 100) -> str:
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    draw(*args, console)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines()) + "\n"


def run_cli(*args):
    """The command run in this process (a subprocess pays the package's import time on every call)."""
    return CliRunner().invoke(app, list(args))


def test_summary_counts_stories_articles_outlets_links_and_flags():
    head = render(print_summary, truth_report()).splitlines()[0]
    assert (
        head
        == "4 articles from 4 outlets in 2 stories · 1 reuse link · 3 flagged facts · 1 input skipped"
    )


def test_summary_lists_flagged_facts_with_their_explanation_but_not_agreements():
    text = render(print_summary, truth_report())
    assert re.search(
        r"\n  s1  altered   quote     the rewrite changed the words inside the quotation marks\n",
        text,
    )
    assert re.search(r"\n  s1  altered   quantity  27 became 37 in a derived copy\n", text)
    assert re.search(
        r"\n  s1  conflict  quantity  4 vs 5 in articles written independently\n", text
    )
    assert "Tomas Varga" not in text


def test_summary_shows_the_reuse_link_with_outlets_and_direction():
    text = render(print_summary, truth_report())
    assert "\n  s1  rewrite 0.62  d1 (Meridian Wire) → d2 (Coastline Today)\n" in text


def test_summary_lists_skipped_inputs_with_their_reason():
    text = render(print_summary, truth_report())
    assert "Skipped inputs (1)" in text
    assert "samples/broken.jsonl: line 2: not valid JSON (Expecting value)" in text


def test_summary_is_identical_across_runs_and_fits_the_width():
    first, second = render(print_summary, truth_report()), render(print_summary, truth_report())
    assert first == second
    narrow = render(print_summary, truth_report(), width=60)
    assert all(len(line) <= 60 for line in narrow.splitlines())
    assert all(len(line) <= 100 for line in first.splitlines())


def test_story_table_keeps_ids_and_counts_when_titles_are_long():
    report = truth_report()
    report.stories[0].title = "A very long headline " * 10
    text = render(print_summary, report, width=80)
    row = next(line for line in text.splitlines() if line.startswith("s1 "))
    assert row.split()[1:8] == [
        "3",
        "3",
        "1",
        "3",
        "2025-03-11",
        "–",
        "03-12",
    ]  # articles, outlets, links, flags
    assert row.endswith("…") and len(row) == 80


def test_untrusted_titles_print_as_written():
    report = truth_report()
    report.stories[1].title = "[bold red]Pier 4[/] fire [link=javascript:alert(1)]x[/link]"
    text = render(print_story, report, "s2")
    assert text.splitlines()[1] == "[bold red]Pier 4[/] fire [link=javascript:alert(1)]x[/link]"


def test_long_explanations_wrap_under_themselves():
    report = truth_report()
    report.stories[0].facts[0].explanation = "a long explanation " * 12
    lines = render(print_summary, report, width=80).splitlines()
    first = next(i for i, line in enumerate(lines) if "a long explanation" in line)
    column = lines[first].index("a long explanation")
    assert lines[first + 1][:column].strip() == "" and lines[first + 1][column] != " "


def test_long_lists_are_capped():
    report = Report(documents=[], skipped=[], stories=[])
    report.skipped = [Skipped(f"in/{n}.txt", "empty file") for n in range(40)]
    text = render(print_summary, report)
    assert "in/24.txt" in text and "in/25.txt" not in text
    assert "… and 15 more skipped inputs" in text


def test_story_dossier_has_header_articles_links_and_facts_by_verdict():
    text = render(print_story, truth_report(), "s1")
    lines = text.splitlines()
    flat = " ".join(text.split())
    assert "Story s1" in lines[0]
    assert lines[1] == truth()["articles"][0]["title"]
    assert lines[2].startswith("2025-03-11 – 03-12 · 3 articles · 3 outlets: ")
    order = [text.index(heading) for heading in ("  altered (2)", "  conflict (1)", "  agree (1)")]
    assert order == sorted(order)
    assert "“The crew closed the fire doors early, and that bought us the time we needed”" in flat
    assert (
        "“The crew sealed the fire doors quickly, and that gave us the time to save the ship”"
        in flat
    )
    # articles in publication order: wire, independent report, rewrite
    rows = [line.split()[0] for line in lines if line[:2] in ("d1", "d2", "d3")][:3]
    assert rows == ["d1", "d3", "d2"]


def test_story_dossier_is_deterministic():
    assert render(print_story, truth_report(), "s1") == render(print_story, truth_report(), "s1")


def test_story_without_links_or_facts_says_so():
    text = render(print_story, truth_report(), "s2")
    assert "Reuse links (0)\n  none found" in text
    assert "Facts (0)\n  none extracted" in text


def test_unknown_story_is_a_clear_error():
    with pytest.raises(
        StoryNotFoundError, match="no story 's9' in the report \\(stories: s1, s2\\)"
    ):
        render(print_story, truth_report(), "s9")


def test_story_as_json_holds_the_story_and_only_its_documents():
    console = Console(file=io.StringIO(), width=100)
    show_story(truth_report(), "s1", "json", console)
    data = json.loads(console.file.getvalue())
    assert data["story"]["id"] == "s1"
    assert [d["id"] for d in data["documents"]] == ["d1", "d2", "d3"]
    assert {f["verdict"] for f in data["story"]["facts"]} == {"altered", "conflict", "agree"}


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("story") / "report.json"
    path.write_text(truth_report().to_json(), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "fmt, marker", [("text", "Story s1"), ("markdown", "## Fire forces"), ("json", '"schema"')]
)
def test_story_command_prints_each_format(report_file, fmt, marker):
    result = run_cli("story", "s1", "--report", str(report_file), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert marker in result.stdout
    assert "The crew sealed the fire doors quickly" in result.stdout.replace("**", "")


def test_story_command_errors_are_one_line(report_file, tmp_path):
    missing = run_cli("story", "s7", "--report", str(report_file))
    assert (
        missing.exit_code == 1
        and "no story 's7'" in missing.stderr
        and "Traceback" not in missing.stderr
    )
    assert len(missing.stderr.strip().splitlines()) == 1
    bad_format = run_cli("story", "s1", "--report", str(report_file), "--format", "xml")
    assert bad_format.exit_code == 2 and "--format" in bad_format.stderr
    not_json = tmp_path / "x.json"
    not_json.write_text("{nope")
    broken = run_cli("story", "s1", "--report", str(not_json))
    assert (
        broken.exit_code == 1
        and "not valid JSON" in broken.stderr
        and "Traceback" not in broken.stderr
    )


def test_analyze_prints_the_summary_and_story_reads_its_report(tmp_path):
    out = tmp_path / "r.json"
    result = run_cli("analyze", str(SAMPLES / "articles"), "--json", str(out))
    assert result.exit_code == 0, result.stderr
    assert "articles from" in result.stdout and "stories" in result.stdout
    first = json.loads(out.read_text())["stories"][0]["id"]
    story = run_cli("story", first, "--report", str(out))
    assert story.exit_code == 0, story.stderr
    assert f"Story {first}" in story.stdout


def test_changed_words_are_found_against_the_majority_wording():
    quote = truth()["altered"][0]
    original, altered = f"“{quote['origin_text']}”", f"“{quote['derived_text']}”"
    marks = changed_tokens([original, altered, original])
    assert marks[0] == marks[2] == set()
    assert [altered.split()[j] for j in sorted(marks[1])] == [
        "sealed",
        "quickly,",
        "gave",
        "to",
        "save",
        "the",
        "ship”",
    ]
    assert changed_tokens(["Officials declined to comment.", original]) == [set(), set()]


def test_changed_words_are_emphasised_in_the_terminal():
    console = Console(
        width=100, record=True, file=io.StringIO(), force_terminal=True, color_system="standard"
    )
    print_story(truth_report(), "s1", console)
    html = console.export_html(inline_styles=True)
    assert re.search(
        r'<span style="[^"]*font-weight: bold[^"]*text-decoration: underline[^"]*">sealed</span>',
        html,
    )
    assert not re.search(r'text-decoration: underline[^"]*">closed</span>', html)


# --- progress ---------------------------------------------------------------------------------


def test_progress_reaches_the_listener_from_inside_a_stage_with_its_stage_name():
    from newstrace.progress import reporting, stage, track

    calls = []
    with reporting(lambda *call: calls.append(call)), stage("reuse"):
        assert list(track(["a", "b", "c"], "sentences")) == ["a", "b", "c"]
    assert calls[0] == ("reuse: sentences", 0, 3)
    assert calls[-1] == ("reuse: sentences", 3, 3)
    assert [done for _, done, _ in calls[1:4]] == [1, 2, 3]
    assert list(track([1, 2], "nobody listens")) == [1, 2]  # no listener: no calls, same items


def test_progress_in_a_log_is_timestamped_stage_lines_on_stderr():
    from newstrace.progress import Display

    stream = io.StringIO()
    console = Console(file=stream, force_terminal=False)
    with Display(console) as display:
        display("group: entities", 0, 772)
        display("group: entities", 10, 772)  # within five seconds: no line
        display("group: entities", 772, 772)
        display("reuse: pairs", 0, 0)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3 and all(re.match(r"\d\d:\d\d:\d\d ", line) for line in lines)
    assert lines[0][9:] == "group: entities started: 772 to do"
    assert re.fullmatch(r"group: entities done: 772 in 0:00:00 \([\d.]+/s\)", lines[1][9:])
    assert lines[2][9:] == "reuse: pairs started"


def test_progress_quiet_prints_nothing():
    from newstrace.progress import Display

    stream = io.StringIO()
    with Display(Console(file=stream, force_terminal=True), quiet=True) as display:
        display("group: entities", 0, 10)
        display("group: entities", 10, 10)
    assert stream.getvalue() == ""


def test_progress_on_a_terminal_is_a_bar_with_count_and_eta():
    from newstrace.progress import Display

    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=100, color_system=None)
    with Display(console, verbose=True) as display:
        display("facts: parse", 0, 40)
        display("facts: parse", 40, 40)
    text = stream.getvalue()
    assert "facts: parse" in text and "40/40" in text and "eta" in text


def test_progress_log_shows_a_long_batch_is_still_running():
    import time

    from newstrace.progress import LogLines

    stream = io.StringIO()
    lines = LogLines(stream, every=0.05)
    lines("facts: parse", 0, 10)
    lines.tick()  # too soon: nothing
    time.sleep(0.06)
    lines.tick()
    written = [line[9:] for line in stream.getvalue().splitlines()]
    assert written == ["facts: parse started: 10 to do", "facts: parse 0/10 (0%)"]
