"""Furniture rules: each furniture line is caught with a reason, no body sentence is."""

from __future__ import annotations

import pytest
from sanctionlens.ingest.clean import clean_lines, furniture_reason

FURNITURE = [
    "Advertisement", "ADVERTISEMENT", "Sponsored content",
    "→ America’s worst nightmare? (From Some Company) (Ad)",
    "We use cookies to improve your experience on our site. By continuing you accept them.",
    "This website collects cookies to deliver a better user experience.",
    "Accept all cookies", "Manage preferences", "Privacy Policy",
    "Home | World | Business | Markets | Tech",
    "Home > Asia > China",
    "News Markets Technology Opinion Video",
    "Skip to main content", "Back to top", "View original document", "Article content",
    "Share this article", "Share | Facebook | Twitter | Email",
    "Sign up for a free preview to unlock the rest of this article",
    "Get the latest news in your inbox with our newsletter. > SIGN UP SIGN UP",
    "Watch the channel free wherever you are > WATCH HERE WATCH HERE",
    "Subscribe now",
    "Listen to this article", "Listen to this article · 4:12 min", "3 min read",
    "FILE PHOTO: A man walks past a company logo in Beijing, China, May 5, 2022. "
    "REUTERS/Tingshu Wang/File Photo",
    "Flags fly in Beijing on Sept. 16, 2018. (AP Photo/Andy Wong, File)",
    "Photo: Reuters",
    "← Back to FR Documents", "📖 Research Context From Federal Register API",
    "} ?>", "20:13 GMT", "For the list, click here.", "FOR IMMEDIATE RELEASE |",
    "Authored by Lily Zhou via The Epoch Times,", "By Jane Doe",
]
BODY = [
    "The company said it would appeal the decision, according to a statement.",
    "Shares fell 5.4% in Hong Kong after the listing.",
    "By contrast, the Commerce Department gave no reason.",
    "Home Depot and Best Buy said they would stop selling the cameras.",
    "The app stores its cookies and browsing data in China, researchers said.",
    "Subscribers of the service include police departments across the country, it said.",
    "The list, released in June 2020, names 20 companies.",
    "Tencent said the inclusion was “clearly a mistake.”",
    "Photos of the facility were shared widely online, the ministry said on Monday.",
    "WASHINGTON (Reuters) - The U.S. added Hikvision to a trade blacklist on Monday.",
    "Commerce Adds 11 Entities to the Entity List",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_furniture_lines_have_a_reason(line):
    assert furniture_reason(line), line


@pytest.mark.parametrize("line", BODY)
def test_body_lines_are_kept(line):
    assert furniture_reason(line) is None, line


def test_every_removal_is_logged_and_body_survives():
    text = "\n\n".join(["Headline of the story here"] + FURNITURE[:8] + BODY[:4])
    paras, removals = clean_lines(text)
    kept = " ".join(p.text for p in paras)
    for line in BODY[:4]:
        assert line in kept
    assert len(removals) == 8 and all(r.reason for r in removals)


def test_release_label_and_contact_removed_inline_date_kept():
    paras, removals = clean_lines("FOR IMMEDIATE RELEASE | Thursday, April 11, 2024 | Media "
                                  "Contact: press@example.gov")
    assert paras[0].text == "Thursday, April 11, 2024"
    assert {r.reason for r in removals} == {"press-release label", "press-release contact"}


def test_publisher_blurb_after_paywall():
    text = ("The agency added the firms on Dec. 15, it said in a notice released that day.\n\n"
            "Sign up for a free preview to unlock the rest of this article\n\n"
            "Trade Wire Daily combines export control news into a single daily service for "
            "compliance professionals.\n\nThe agency also removed 27 entities from the list.")
    paras, removals = clean_lines(text)
    kept = [p.text for p in paras]
    assert kept[-1] == "The agency also removed 27 entities from the list."
    assert not any("Trade Wire Daily" in k for k in kept)
    assert any(r.reason.startswith("publisher blurb") for r in removals)
