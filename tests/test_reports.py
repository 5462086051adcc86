from datetime import date

import pandas as pd
import pytest
from support import DATA, SHARED

from toolkit.errors import ReportError, ReportWarning
from toolkit.reports import parse_dateline, read_report, read_reports
from toolkit.schemas import Reports

GOOD = "---\nid: r1\ntitle: T\noutlet: AFP\npublished: 2016-12-01T21:00:00Z\n---\nBody text.\n"


def test_seed_corpus_loads_five_valid_reports(seed_reports):
    assert len(seed_reports) == 5
    Reports.validate(seed_reports)
    assert seed_reports["report_id"].is_unique
    assert seed_reports["published"].notna().all()
    assert set(seed_reports["outlet"]) == {
        "AFP", "Arab Today", "unidentified blog", "Press TV", "Al Arabiya English",
    }  # fmt: skip


def test_seed_publication_times(seed_reports):
    pub = seed_reports.set_index("report_id")["published"]
    assert pub["2016-12-01-afp-battle-fronts"] == pd.Timestamp("2016-12-01T21:00Z")
    assert pub["2016-12-11-arab-today-battle-fronts"] == pd.Timestamp("2016-12-11T17:00Z")
    assert pub["2016-12-10-bbc-aleppo-exodus"] == pd.Timestamp("2016-12-10T14:13Z")
    assert pub["2016-11-30-al-arabiya-sheikh-saeed"].date() == date(2016, 11, 30)


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="shared seeds not present")
def test_seed_bodies_are_byte_identical(seed_reports):
    for row in seed_reports.itertuples():
        assert row.body.encode("utf-8") == (SHARED / "seeds" / row.source_file).read_bytes()


def test_front_matter_fields(write_report):
    rec = read_report(write_report("a.txt", GOOD))
    assert rec["report_id"] == "r1"
    assert rec["body"] == "Body text.\n"
    assert rec["published"] == pd.Timestamp("2016-12-01T21:00Z")
    assert rec["language"] == "en"
    assert rec["n_chars"] == len("Body text.\n")


def test_naive_datetime_is_utc_and_offsets_convert(write_report):
    rec = read_report(write_report("a.txt", GOOD.replace("21:00:00Z", "21:00:00")))
    assert rec["published"] == pd.Timestamp("2016-12-01T21:00Z")
    rec = read_report(write_report("b.txt", GOOD.replace("21:00:00Z", "23:00:00+02:00")))
    assert rec["published"] == pd.Timestamp("2016-12-01T21:00Z")


def test_without_front_matter_id_is_file_name_and_date_from_dateline(write_report):
    path = write_report("blog_post.txt", "- Dec 10, 2016 14H:13 GMT/UTC\nAbout 50,000 fled.\n")
    rec = read_report(path)
    assert rec["report_id"] == "blog_post"
    assert rec["published"] == pd.Timestamp("2016-12-10T14:13Z")
    assert rec["published_from"] == "dateline"


def test_without_front_matter_or_dateline_published_is_missing(write_report):
    frame = read_reports(write_report("plain.txt", "Thousands fled the city.\n"))
    assert frame["published"].isna().all()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Thu Dec 15 2016 Syrian troops", "2016-12-15"),
        ("Wed 05 Apr 2017 Syria attack", "2017-04-05"),
        ("Fri 07 Apr 2017 at 0914 Homs governor", "2017-04-07"),  # no zone: date only
        ("BEIRUT, December 10, 2016 (AFP)", "2016-12-10"),
        ("Published 10 December 2016", "2016-12-10"),
        # punctuation stripped: "Oct 26, 2016" runs on into "Oct 262016"
        ("Last updated at Oct 262016 BEIRUT Air strikes", "2016-10-26"),
        ("Last updated at Apr 092017 At least", "2017-04-09"),
        ("Last updated at Jul 12016 BEIRUT", "2016-07-01"),
    ],
)
def test_parse_dateline(text, expected):
    assert parse_dateline(text) == pd.Timestamp(expected, tz="UTC")


def test_no_dateline_in_plain_text():
    assert parse_dateline("Troops advanced on Sunday.") is None


def test_front_matter_disagreeing_with_dateline_warns(write_report):
    path = write_report("a.txt", GOOD.replace("Body text.", "Dec 3, 2016 - Body"))
    with pytest.warns(ReportWarning, match="front matter wins"):
        rec = read_report(path)
    assert rec["published"].date() == date(2016, 12, 1)


@pytest.mark.parametrize(
    "text, reason",
    [
        (
            GOOD.replace("2016-12-01T21:00:00Z", "2016-13-01"),
            "published '2016-13-01' is not a date",
        ),
        (GOOD.replace("2016-12-01T21:00:00Z", "1850-01-01"), "before 1900"),
        (GOOD.replace("2016-12-01T21:00:00Z", "2999-01-01"), "in the future"),
        ("---\ntitle: T\noutlet: AFP\npublished: 2016-12-01\nBody\n", "not closed"),
        ("---\n- a\n- b\n---\nBody\n", "not a mapping"),
        ("---\ntitle: [unclosed\n---\nBody\n", "invalid YAML"),
        (
            "---\ntitle: !!python/object:os.system x\noutlet: A\npublished: 2016-12-01\n---\nB\n",
            "invalid YAML",
        ),
        ("---\ntitle: T\npublished: 2016-12-01\n---\nBody\n", "missing required key(s) outlet"),
        (GOOD.replace("id: r1", "id: ../escape"), "not a safe file name"),
        ("", "empty file"),
        ("   \n\n", "empty file"),
        (GOOD.replace("Body text.\n", ""), "no body text"),
    ],
)
def test_bad_reports_name_file_and_problem(write_report, text, reason):
    path = write_report("bad.txt", text)
    with pytest.raises(ReportError) as err:
        read_report(path)
    assert str(err.value).startswith(f"{path}: ")
    assert reason in str(err.value)


def test_binary_file_rejected(write_report):
    with pytest.raises(ReportError, match="NUL"):
        read_report(write_report("b.txt", b"\x00\x01\x02abc"))


def test_size_limit(write_report):
    path = write_report("big.txt", GOOD + "x" * 500)
    with pytest.raises(ReportError, match="over the limit of 100"):
        read_report(path, max_bytes=100)


def test_unknown_key_warns(write_report):
    with pytest.warns(ReportWarning, match="unknown keys \\['colour'\\]"):
        read_report(write_report("a.txt", GOOD.replace("outlet", "colour: red\noutlet")))


def test_bom_and_cp1252_are_read_with_warnings(write_report):
    with pytest.warns(ReportWarning, match="byte-order mark"):
        rec = read_report(write_report("bom.txt", b"\xef\xbb\xbf" + GOOD.encode()))
    assert rec["report_id"] == "r1"
    with pytest.warns(ReportWarning, match="decoded as cp1252"):
        rec = read_report(write_report("cp.txt", GOOD.replace("Body", "Caf\xe9").encode("cp1252")))
    assert "Café" in rec["body"]


def test_collect_keeps_good_reports_and_lists_rejects(write_report, tmp_path):
    write_report("good.txt", GOOD)
    write_report("dup.txt", GOOD)  # same id r1
    write_report("empty.txt", "")
    write_report("notes.csv", "ignored,not a report\n")
    frame, rejects = read_reports(tmp_path, errors="collect")
    assert list(frame["report_id"]) == ["r1"]
    names = rejects["path"].map(lambda p: p.rsplit("/", 1)[-1])
    reasons = dict(zip(names, rejects["reason"], strict=True))
    assert "duplicate id 'r1'" in reasons["good.txt"] or "duplicate id 'r1'" in reasons["dup.txt"]
    assert reasons["empty.txt"] == "empty file"
    assert len(frame) + len(rejects) == 3


def test_raise_mode_stops_at_first_bad_file(write_report, tmp_path):
    write_report("a.txt", "")
    with pytest.raises(ReportError, match="empty file"):
        read_reports(tmp_path)


def test_errors_argument_checked():
    with pytest.raises(ValueError):
        read_reports(DATA / "reports", errors="ignore")
