"""Each signal: a phrasing that shows it fires, and a negation or cancelling phrase that does not.

Every signal in signals.yaml must have a row here, so a new signal cannot arrive untested.
"""

from __future__ import annotations

import pytest

from assess.jobads import Signals, read_ad

# signal: (sentences that show it, sentences that must not)
CASES: dict[str, tuple[list[str], list[str]]] = {
    "helpdesk-duties": (
        [
            "You will respond to customer comments and messages on Instagram.",
            "Handling customer enquiries across our social inbox.",
            "Be the first point of contact for customers online.",
            "Resolving complaints and support tickets quickly.",
        ],
        [
            "Escalate service issues to our support team.",
            "You will not answer customer messages.",
            "We pride ourselves on delivering excellent customer service.",
            "This is not a customer service role.",
        ],
    ),
    "support-separate": (
        [
            "Escalate service issues to our support team.",
            "Customer questions are handled by our customer care colleagues.",
            "Our dedicated customer service team answers every message.",
        ],
        ["You will respond to customer comments.", "Work with the service design team on the new website."],
    ),
    "reporting-line": (
        [
            "You will report to the Head of IT.",
            "The role sits within the Corporate Communications team.",
            "A dual reporting line into marketing and technology.",
        ],
        ["You will report to the Head of Marketing.", "You will report on campaign performance to the IT director."],
    ),
    "buy-in": (
        [
            "Win buy-in from stakeholders across the business.",
            "Evangelise social media to senior leaders.",
            "You will need to bring colleagues along on the journey.",
            "Make the case for social to the board.",
        ],
        ["Our leadership is already fully on board.", "Write engaging copy for our buyers."],
    ),
    "sole-role": (
        [
            "You will be a team of one.",
            "As our sole social media manager you will run everything.",
            "In a start-up you'll wear many hats.",
        ],
        ["You won't be a team of one.", "Take action on your own initiative."],
    ),
    "all-channels": (
        ["You will manage all of our social channels.", "Post across every platform we use."],
        ["You will not manage all of our social channels.", "Our care team replies on every channel."],
    ),
    "long-term-plan": (
        ["You will write our three-year social media strategy.", "Own the social roadmap."],
        ["There is no long-term strategy yet.", "You will roll out the roadmap set by our global team."],
    ),
    "campaigns-only": (
        ["Keep the content calendar full.", "Plan and deliver seasonal campaigns."],
        ["Write content for our website."],
    ),
    "business-measures": (
        ["Prove the ROI of social media.", "Social should drive online sales and qualified leads."],
        ["Competitive salary plus a bonus tied to sales.", "We have annual revenue of £3bn."],
    ),
    "activity-metrics": (
        ["Grow our followers and engagement.", "Report on reach and impressions every week."],
        ["You will lead our community engagement work.", "We work with the likes of Nike and Adidas."],
    ),
    "tools-list": (
        ["Experience with Hootsuite, Canva and Photoshop.", "Proficiency in the Adobe suite is a must."],
        ["You will decide which tools we need."],
    ),
    "budget-headcount": (
        ["You will manage a paid social budget of £200k.", "Lead a team of four executives."],
        ["Deliver projects on time and within budget.", "Our group runs two budget hotels."],
    ),
    "always-on": (
        ["Be available to work evenings and weekends.", "You will join the on-call rota.", "Monitor channels 24/7."],
        ["There is no on-call.", "Plan our always-on content.", "28 days holiday including bank holidays."],
    ),
    "it-collaboration": (
        ["Work closely with our IT team on the publishing platform.", "Use the shared request queue with IT."],
        ["Work with our suppliers on new product packaging."],
    ),
}


def test_every_signal_has_cases(signals: Signals) -> None:
    assert sorted(CASES) == sorted(s.id for s in signals)


@pytest.mark.parametrize(("signal_id", "sentence"), [(s, t) for s, (fires, _) in CASES.items() for t in fires])
def test_a_phrasing_that_shows_the_signal_fires(signals: Signals, signal_id: str, sentence: str) -> None:
    reading = read_ad(sentence, signals)
    assert [f.signal for f in reading.found(signal_id)] == [signal_id], sentence


@pytest.mark.parametrize(("signal_id", "sentence"), [(s, t) for s, (_, stays) in CASES.items() for t in stays])
def test_a_negation_or_cancelling_phrase_does_not_fire(signals: Signals, signal_id: str, sentence: str) -> None:
    reading = read_ad(sentence, signals)
    assert reading.found(signal_id) == (), sentence
