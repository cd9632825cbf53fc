"""The SVG small multiples and timeline lanes: valid XML, proportional bars, marks by day, escaped text,
nothing external."""

import xml.etree.ElementTree as ElementTree
from datetime import date

import pytest

from pipeline.trends.chart import PLOT_HEIGHT, Mark, Panel, lanes, small_multiples

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = [date(2023, m, 1) for m in range(7, 13)]


def chart(**kwargs):
    panels = [
        Panel("critical_minerals, CN", list(zip(MONTHS, [2, 1, 0, 4, 0, 1])), frozenset({date(2023, 10, 1)})),
        Panel("semiconductors, US", list(zip(MONTHS, [0, 0, 0, 2, 0, 0]))),
    ]
    return small_multiples(panels, "New measures per month", **kwargs)


def test_valid_svg_with_a_title_and_description():
    root = ElementTree.fromstring(chart())
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "New measures per month"
    assert "2 panels" in root.find(f"{SVG}desc").text and "from 2023-07 to 2023-12" in root.find(f"{SVG}desc").text


def test_bars_are_proportional_on_one_shared_scale():
    root = ElementTree.fromstring(chart())
    bars = root.findall(f".//{SVG}rect")
    assert len(bars) == 12
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[3] == pytest.approx(PLOT_HEIGHT)  # the tallest, 4
    assert heights[0] == pytest.approx(PLOT_HEIGHT / 2) and heights[9] == pytest.approx(PLOT_HEIGHT / 2)  # 2 and 2
    assert heights[2] == 0
    assert [bar.find(f"{SVG}title").text for bar in bars][3] == "2023-10: 4 new measures (surge)"
    assert bars[3].get("fill") != bars[0].get("fill")


def test_text_is_escaped_and_nothing_is_loaded():
    text = small_multiples([Panel('<script>alert("x")</script> & co', [(MONTHS[0], 1)])], "A <b> & C")
    root = ElementTree.fromstring(text)
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert root.find(f"{SVG}title").text == "A <b> & C"
    assert "href" not in text and "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_a_chart_of_nothing_is_refused():
    with pytest.raises(ValueError, match="no panel"):
        small_multiples([], "Empty")


def lane_chart():
    return lanes(
        [
            (
                "US",
                [Mark(date(2022, 10, 13), "measure: Advanced computing <rule>", "measure", "/measure/fr:2022-21658")],
            ),
            (
                "CN",
                [
                    Mark(date(2023, 7, 3), "measure: gallium & germanium", "measure", "javascript:alert(1)"),
                    Mark(date(2023, 7, 3), "listed: Someone", "listed"),
                ],
            ),
        ],
        "Timeline <of> critical minerals",
    )


def test_lanes_are_valid_svg_one_group_per_lane_with_escaped_text():
    root = ElementTree.fromstring(lane_chart())
    assert root.find(f"{SVG}title").text == "Timeline <of> critical minerals"
    assert (
        "2 lanes" in root.find(f"{SVG}desc").text
        and "3 entries from 2022-10-13 to 2023-07-03" in root.find(f"{SVG}desc").text
    )
    lanes = root.findall(f"{SVG}g")
    assert [lane.get("aria-label") for lane in lanes] == ["US: 1 measure", "CN: 1 listed, 1 measure"]
    titles = [node.text for node in root.iter(f"{SVG}title")][1:]
    assert titles == [
        "2022-10-13: measure: Advanced computing <rule>",
        "2023-07-03: listed: Someone",
        "2023-07-03: measure: gallium & germanium",
    ]
    assert [label.text for label in root.iter(f"{SVG}text") if label.text.isdigit()] == ["2023"]


def test_lane_marks_are_placed_by_day_and_link_only_to_this_site():
    root = ElementTree.fromstring(lane_chart())
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert links == ["/measure/fr:2022-21658"]  # the javascript: one stays a mark
    circles = sorted(float(c.get("cx")) for c in root.iter(f"{SVG}circle"))
    square = float(next(r for r in root.iter(f"{SVG}rect") if "mark-listed" in r.get("class")).get("x")) + 4.5
    assert circles[0] < circles[1] and square == pytest.approx(circles[1])  # one day, one x
    assert "http://" not in lane_chart().replace("http://www.w3.org/2000/svg", "")


def test_an_empty_timeline_is_not_drawn():
    with pytest.raises(ValueError, match="empty timeline"):
        lanes([("US", [])], "nothing")
