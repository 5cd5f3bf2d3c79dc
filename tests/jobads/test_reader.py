"""What a reading holds: findings with their sentences, what was set aside and why, the answers settled and the
questions raised."""

from __future__ import annotations

import json

from assess.jobads import Signals, open_questions, read_ad, reading_to_dict, suggested_answers

AD = """Social Media Manager
You will respond to customer comments and DMs.
Resolve complaints from customers on Facebook.
Answer questions from shoppers in the social inbox.
Reply to reviews every morning.
You will win buy-in from stakeholders across the business.
Keep the content calendar full.
Deliver seasonal campaigns.
"""


def test_every_finding_cites_its_sentence(signals: Signals) -> None:
    reading = read_ad(AD, signals)
    assert reading.findings
    for finding in reading.findings:
        sentence = reading.sentences[finding.sentence]
        assert finding.phrase.lower() in sentence.text.lower()
        assert reading.text[sentence.start : sentence.end] == sentence.text


def test_answers_settled_follow_the_number_of_sentences(signals: Signals) -> None:
    reading = read_ad(AD, signals)
    settled = suggested_answers(reading, signals, "employer-readiness")
    assert settled["sep-jobad"].option == "most"  # four help-desk sentences
    assert len(settled["sep-jobad"].sentences) == 4
    assert settled["climate-jobad"].option == "win-buy-in"
    assert settled["plan-written"].option == "calendar-only"
    one = suggested_answers(read_ad("Reply to customer comments.", signals), signals, "employer-readiness")
    assert one["sep-jobad"].option == "small-part"
    org = suggested_answers(reading, signals, "org-readiness")
    assert org["o-jobad-buyin"].option == "win-buy-in"
    assert "sep-jobad" not in org


def test_a_long_term_plan_anywhere_sets_the_campaign_calendar_aside(signals: Signals) -> None:
    reading = read_ad(AD + "You will write our three-year social strategy.\n", signals)
    assert reading.found("campaigns-only") == ()
    assert {(s.signal, s.reason, s.by) for s in reading.set_aside} >= {("campaigns-only", "yields", "long-term-plan")}
    assert "plan-written" not in suggested_answers(reading, signals, "employer-readiness")


def test_signals_that_disagree_leave_the_question_open(signals: Signals) -> None:
    ad = "You will be a team of one. Customer complaints are escalated to our customer care team."
    reading = read_ad(ad, signals)
    assert reading.found("sole-role")
    assert reading.found("support-separate")
    assert "sep-people" not in suggested_answers(reading, signals, "employer-readiness")
    alone = read_ad("You will be a team of one.", signals)
    assert suggested_answers(alone, signals, "employer-readiness")["sep-people"].option == "new-hire-alone"


def test_cancelled_and_negated_matches_are_kept_with_their_reason(signals: Signals) -> None:
    reading = read_ad("Escalate complaints to our support team. You will not answer customer messages.", signals)
    reasons = {(s.signal, s.reason) for s in reading.set_aside}
    assert ("helpdesk-duties", "cancelled") in reasons
    assert ("helpdesk-duties", "negated") in reasons
    assert reading.found("helpdesk-duties") == ()


def test_questions_raised_by_warnings_come_first_then_silences(signals: Signals) -> None:
    reading = read_ad(AD, signals)
    questions = open_questions(reading, signals)
    tones = [signals.get(q.signal).tone for q in questions]
    assert tones == sorted(tones, key=lambda t: t != "warning")
    helpdesk = next(q for q in questions if q.signal == "helpdesk-duties")
    assert len(helpdesk.sentences) == 4
    assert any(q.signal == "business-measures" and not q.sentences for q in questions)


def test_the_plain_data_quotes_sentences_but_never_holds_the_whole_ad(signals: Signals) -> None:
    ad = AD + "Our office is next to the river and has a very nice canteen with views over the park.\n"
    data = reading_to_dict(read_ad(ad, signals), signals)
    dumped = json.dumps(data)
    assert "canteen" not in dumped  # a sentence nothing was found in is not carried
    assert "You will respond to customer comments and DMs." in dumped
    assert data["sentences"] == 9
    assert {group["criterion"] for group in data["by_criterion"]} >= {"ER-SEPARATION", "ER-CLIMATE"}
    assert data["answers"]["employer-readiness"]["sep-jobad"]["option"] == "most"


def test_reading_is_deterministic(signals: Signals) -> None:
    assert read_ad(AD, signals) == read_ad(AD, signals)
