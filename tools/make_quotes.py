"""Rebuild data/quotes.csv from the raw sources and the hand-made attribution lists below.

Run once by the maintainers (``python tools/make_quotes.py``); the notebooks never run it.
Each entry names a verbatim quote, its speaker and what it is evidence of; the script finds the
quote's character offsets in the raw file and the number of the paragraph holding it
(``armscontrol.sources.paragraph_number``), so neither is ever typed by hand. It fails if a quote
is missing or ambiguous (then give ``occurrence``).

``QUOTES`` are the quotations in the sources that report speech (the two articles and the State
Department's ShareAmerica article): each must open with a quotation mark in the text. ``DOCUMENT_QUOTES`` are passages of the period documents in their issuers' own words
(attribution ``document``): each is found as plain text and must occur exactly once, unless an
occurrence is given.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

from armscontrol import data, sources

ROOT = Path(__file__).resolve().parent.parent
#: Quote-id prefix of each source (ids are ``<prefix>_q<NN>``, numbered in text order).
PREFIX = {
    "cnn_2018": "cnn", "statemedia_2020": "sm", "inf_treaty_text": "inf",
    "reagan_nna_1987": "rnna", "reagan_radio_1987": "rradio", "putin_inf_2020": "putin",
    "putin_inf_2020_uk": "putinuk", "state_new_start_2020": "state", "mid_new_start_2022": "mid",
    "shareamerica_inf_2019": "share",
}

TRUMP = ("Donald Trump", "President of the United States")
PESKOV = ("Dmitry Peskov", "Kremlin spokesman")
PUTIN = ("Vladimir Putin", "President of Russia")
LAVROV = ("Sergey Lavrov", "Russian Foreign Minister")
GORBY = ("Mikhail Gorbachev", "Former leader of the Soviet Union")
ANTONOV = ("Anatoly Antonov", "Russian ambassador to the United States")
RYABKOV = ("Sergey Ryabkov", "Russian Deputy Foreign Minister")
OBRIEN = ("Robert O'Brien", "US National Security Adviser")
USGOV = ("US government", "United States (announcement of withdrawal)")
RUSGOV = ("Russian government", "Government of Russia (as reported by CNN)")
POMPEO = ("Mike Pompeo", "US Secretary of State")

# (source, (speaker, role), attribution, quote, occurrence, evidence_of)
QUOTES = [
    ("cnn_2018", RUSGOV, "fragment", "to take measures", 1,
     "Russia's stated response if the US develops new missile systems"),
    ("cnn_2018", TRUMP, "fragment", "been violating it for many years.", 1,
     "Trump's reason for withdrawing: the charge that Russia violated the INF Treaty"),
    ("cnn_2018", PUTIN, "relayed", "dilutes", 1,
     "Putin's counter-charge, relayed by Peskov: US anti-missile systems undermine the treaty"),
    ("cnn_2018", PESKOV, "direct",
     "If you read President’s statements [Putin], he was saying that the breach in the INF treaty "
     "forces Russia to take measures in order to ensure its security. What does the INF breach mean?", 1,
     "The Kremlin frames US withdrawal as the breach that forces Russian countermeasures"),
    ("cnn_2018", PESKOV, "direct",
     "It means that the US not only covertly but also directly begins to develop these systems. If "
     "these systems are in development, action from other countries is required. In this case it’s "
     "Russia, in order to restore the balance in this area,", 1,
     "The Kremlin's claim that Russia would act to restore a military balance"),
    ("cnn_2018", PESKOV, "direct",
     "Russia is and has been devoted to the clauses of the agreement, and we think the intention of "
     "the US to withdraw is, of course, concerning because such steps, if taken, can make the world a "
     "more dangerous place.", 1,
     "Russia's denial of any violation, and its warning about withdrawal"),
    ("cnn_2018", TRUMP, "fragment", "nice and new and ‘smart!’", 1,
     "Trump's 2018 Twitter threat about US missiles in Syria"),
    ("cnn_2018", PESKOV, "direct",
     "There are still problems around this treaty and the President has said that in the past,", 1,
     "The Kremlin agrees the treaty has problems"),
    ("cnn_2018", PESKOV, "direct",
     "Many countries in Asia and other countries are developing these systems, which can be qualified "
     "as short- and medium-range missiles. But nevertheless, Russia and USA are still two key "
     "countries responsible for the world’s stability and security.", 1,
     "Third countries' missiles (China implied) in the argument, echoed by the Kremlin"),
    ("cnn_2018", LAVROV, "direct",
     "Right now, it’s not very productive to read the tea leaves. We will wait for official "
     "explanations from our American colleagues,", 1,
     "Russia had not yet received official notice of the US decision"),
    ("cnn_2018", GORBY, "fragment", "unacceptable", 1,
     "Gorbachev's judgement of Trump's plan, as reported by RIA Novosti"),
    ("cnn_2018", GORBY, "fragment", "very irresponsible,", 1,
     "Gorbachev's judgement of Trump's plan, as reported by RIA Novosti"),
    ("cnn_2018", GORBY, "direct",
     "It was a great victory that we managed to get as far as making decisions enshrined in these…"
     "treaties that got rid of nuclear weapons and warheads,", 1,
     "A signatory's view of what the INF Treaty achieved"),
    ("cnn_2018", GORBY, "direct",
     "I don’t know whether they will succeed or not, but I think it’s not too late yet,", 1,
     "Gorbachev's hope that the treaty could still be preserved"),
    ("statemedia_2020", ANTONOV, "fragment", "untenable", 1,
     "Russia rejects US pressure on China to join arms control"),
    ("statemedia_2020", ANTONOV, "direct",
     "Consultations and negotiations on arms control should be conducted on a free, voluntary basis, "
     "taking into account the legitimate interests of the parties", 1,
     "Russia's position that China cannot be pressed into talks"),
    ("statemedia_2020", ANTONOV, "fragment", "on the threshold", 1,
     "Antonov: Russia and the US are not close to arms control agreements"),
    ("statemedia_2020", ANTONOV, "fragment", "utopian demand", 1,
     "Antonov on the US dropping its demand that China join at once"),
    ("statemedia_2020", ANTONOV, "fragment", "immediate involvement", 1,
     "Antonov on the US dropping its demand that China join at once"),
    ("statemedia_2020", ANTONOV, "fragment", "in crisis", 1,
     "Antonov's judgement of the arms control regime in 2020"),
    ("statemedia_2020", ANTONOV, "direct",
     "The collapse of decades-old agreements and norms continues. The level of trust between the "
     "participating countries is catastrophically declining. The arms race is reviving, we see a "
     "tendency towards a unilateral military build-up", 1,
     "Russia's account of the decline of arms control"),
    ("statemedia_2020", PUTIN, "fragment", "grave mistake", 1,
     "Putin's judgement of the US exit from INF"),
    ("statemedia_2020", PUTIN, "fragment",
     "increasing the possibility of a confrontation and escalating uncontrollably", 1,
     "Putin's warning of escalation after INF (paraphrased translation)"),
    ("statemedia_2020", ANTONOV, "fragment", "trade advantages", 1,
     "Russia accuses the US of bargaining over New START's extension"),
    ("statemedia_2020", ANTONOV, "fragment", "adequate steps", 1,
     "Russia's promised response to US missiles in the Asia-Pacific"),
    ("statemedia_2020", RYABKOV, "direct",
     "We have the full impression that the Americans do not need any agreements, they only need "
     "verification. And verification, in the way proposed by them, is, basically, to establish "
     "external control over the most sensitive elements of ensuring the entire systems of our "
     "national security. This is unacceptable for us", 1,
     "Russia rejects the US verification proposals for a New START extension"),
    ("statemedia_2020", RYABKOV, "fragment", "cannot agree to such a proposal for higher reasons", 1,
     "Russia rejects the US verification proposals for a New START extension"),
    ("statemedia_2020", RYABKOV, "direct",
     "We said and continue to say that any agreement in this area is possible only where both "
     "interests are balanced, as a certain compromise. We are ready for this but see no indication "
     "that the US side is prepared to compromise. Therefore we conclude that attaining basic "
     "agreement in the present segment is, to put it mildly, doubtful", 1,
     "Russia's view that the US will not compromise on New START"),
    ("statemedia_2020", RYABKOV, "direct",
     "We are having vigorous talks with the US on these issues. The signs we are getting from them "
     "disappoint us. The Americans do not seem to understand that we cannot implement proposals, "
     "when the US, rather than making requests, keeps piling on demand after demand", 1,
     "Russia's account of the autumn 2020 New START talks"),
    ("statemedia_2020", PUTIN, "direct", "nothing bad will happen", 1,
     "Putin's 22 October 2020 case for a one-year New START extension"),
    ("statemedia_2020", OBRIEN, "fragment", "non-starter", 1,
     "The US rejects Putin's unconditional one-year extension"),
    ("statemedia_2020", PUTIN, "fragment", "grave mistake", 2,
     "Putin's judgement of the US exit from INF (second report)"),
    ("statemedia_2020", ("Kremlin press service", "Statement of the President of Russia"), "direct",
     "We consider the US withdrawal from the INF Treaty, as a result of which it has ceased to "
     "operate, a serious mistake that increases the risks of unleashing a missile arms race, "
     "increasing confrontational potential and sliding into uncontrolled escalation,", 1,
     "The Kremlin's written statement on the end of INF"),
    ("statemedia_2020", PUTIN, "fragment", "obvious", 1,
     "Putin: threats to INF in Europe were obvious given NATO-Russia tensions"),
    ("statemedia_2020", PUTIN, "direct",
     "The Treaty played a special role in maintaining predictability and restraint in the "
     "missile-related sector throughout Europe", 1,
     "Putin's view of what INF did for European security"),
    ("statemedia_2020", ("Russian government", "Government of Russia (\"Moscow\")"), "fragment",
     "ready", 1,
     "Russia says it is ready to limit the impact of INF's end"),
    ("statemedia_2020", PUTIN, "direct",
     "We also call on all interested countries to search for schemes for maintaining stability and "
     "preventing missile crises 'in a world without an INF Treaty' in relation to the Asia-Pacific "
     "region. We are open to joint work in this direction,", 1,
     "Putin's 2020 proposal on post-INF stability, including the Asia-Pacific"),
    ("statemedia_2020", USGOV, "fragment",
     "to return to full and verified compliance through the destruction of its non-compliant "
     "missile system", 1,
     "The US reason for its February 2019 notice of withdrawal, as quoted by Russian media"),
    ("statemedia_2020", USGOV, "fragment", "solely responsible for the treaty’s demise", 1,
     "The US statement on withdrawal in August 2019, as quoted by Russian media"),
    ("statemedia_2020", ANTONOV, "direct",
     "the range of these missiles would reach the Russian Federation, covering strategic targets of "
     "tactical nuclear deterrence", 1,
     "Russia's objection to US intermediate-range missiles in the Asia-Pacific"),
    ("statemedia_2020", ANTONOV, "fragment", "adequate steps", 2,
     "Russia's promised response to US missiles in the Asia-Pacific (second report)"),
    ("shareamerica_inf_2019", POMPEO, "fragment",
     "puts millions of Europeans and Americans at greater risk.", 1,
     "The US charge that the Russian missile threatens Europe and the United States"),
    ("shareamerica_inf_2019", POMPEO, "direct",
     "The security of the American people must be our greatest consideration … and countries must "
     "be held accountable when they break the rules,", 1,
     "The US case for suspending the treaty: Russia broke its rules"),
    ("shareamerica_inf_2019", POMPEO, "direct",
     "When an agreement is so brazenly disregarded and our security is so openly threatened, we "
     "must respond,", 1,
     "The US case for suspending the treaty: a response to a violation"),
    ("shareamerica_inf_2019", POMPEO, "fragment",
     "with us in our mission to uphold the rule of law and protect our people.", 1,
     "The US thanks NATO allies for backing the suspension"),
    ("shareamerica_inf_2019", ("NATO", "North Atlantic Treaty Organization (statement, as reported)"),
     "fragment", "Russia will bear sole responsibility for the end of the treaty.", 1,
     "NATO's statement blaming Russia in advance for the end of the treaty"),
    ("shareamerica_inf_2019", POMPEO, "direct",
     "We provided Russia an ample window of time to mend its ways,", 1,
     "The US claim that Russia had time to return to compliance"),
]


PARTIES = ("United States and Soviet Union", "Parties to the INF Treaty (the treaty text)")
REAGAN = ("Ronald Reagan", "President of the United States")
KREMLIN = ("Vladimir Putin", "President of Russia (written statement)")
MFA = ("Russian Foreign Ministry", "Ministry of Foreign Affairs of the Russian Federation")
STATE = ("US State Department", "Bureau of Arms Control, Verification and Compliance")
SHARE = ("US State Department", "ShareAmerica, a State Department website (its own narration)")

# (source, (speaker, role), passage, occurrence, evidence_of); attribution is always "document".
DOCUMENT_QUOTES = [
    ("inf_treaty_text", PARTIES, "Signed at Washington December 8, 1987", 1,
     "The date the INF Treaty was signed, in the treaty's own header"),
    ("inf_treaty_text", PARTIES, "Entered into force June 1, 1988", 1,
     "The date the INF Treaty entered into force, in the treaty's own header"),
    ("inf_treaty_text", PARTIES,
     "Conscious that nuclear war would have devastating consequences for all mankind,", 1,
     "The purpose the parties gave for the treaty (preamble)"),
    ("inf_treaty_text", PARTIES,
     "each Party shall eliminate its intermediate-range and shorter-range missiles, not have such "
     "systems thereafter, and carry out the other obligations set forth in this Treaty.", 1,
     "Article I: the treaty eliminates a whole class of missiles, not just limits it"),
    ("inf_treaty_text", PARTIES,
     "The term \"ground-launched ballistic missile (GLBM)\" means a ground-launched ballistic "
     "missile that is a weapon-delivery vehicle.", 1,
     "Article II: the treaty covers missiles launched from the ground"),
    ("inf_treaty_text", PARTIES,
     "The term \"ground-launched cruise missile (GLCM)\" means a ground-launched cruise missile "
     "that is a weapon-delivery vehicle.", 1,
     "Article II: ground-launched cruise missiles are covered as well as ballistic missiles"),
    ("reagan_nna_1987", REAGAN,
     "the Soviets have at last agreed to negotiate a global reduction in the number of U.S. and "
     "Soviet longer range intermediate nuclear force, or as we call them, INF missiles.", 1,
     "Reagan's account, in March 1987, of the Soviet offer to negotiate on INF missiles"),
    ("reagan_nna_1987", REAGAN,
     "The arms reductions agreement that, as a result of the Soviet statement, is now within reach "
     "derives from my ``zero option'' proposal of 1981.", 1,
     "Reagan links the coming INF agreement to his zero option of 1981"),
    ("reagan_nna_1987", REAGAN, "This negotiation will be conducted without strings attached.", 1,
     "Reagan's claim that the INF talks would no longer be tied to other issues"),
    ("reagan_radio_1987", REAGAN,
     "When the Soviets first started deploying new INF missiles in the 1970's, the triple-warhead "
     "SS-20's, they represented a totally new nuclear threat to our friends in Europe and Asia for "
     "which we had no comparable counter.", 1,
     "The US account of the SS-20 as the cause of the Euromissile crisis"),
    ("reagan_radio_1987", REAGAN,
     "NATO decided in 1979 that we would deploy a limited number of comparable missiles and, at "
     "the same time, push hard in negotiations to do away with this new nuclear threat.", 1,
     "Reagan's summary of NATO's 1979 dual-track decision"),
    ("reagan_radio_1987", REAGAN,
     "In 1981 I first proposed what would come to be called the zero option. It called for the "
     "complete elimination of these U.S. and Soviet missiles on both sides.", 1,
     "Reagan's description of his 1981 zero option"),
    ("reagan_radio_1987", REAGAN,
     "arms control has been replaced by arms reduction", 1,
     "Reagan's claim that the INF Treaty was a new kind of agreement"),
    ("reagan_radio_1987", REAGAN,
     "they'll be destroying some 1,600 deployed warheads, while we destroy about 400.", 1,
     "Reagan's figures for the warheads each side would give up under the INF Treaty"),
    ("shareamerica_inf_2019", SHARE, "The suspension takes effect February 2.", 1,
     "The date the US suspension of its INF obligations took effect"),
    ("shareamerica_inf_2019", SHARE,
     "The United States has raised more than 30 times over almost six years with Russian officials "
     "of all levels the issue of Russia’s violating the 1987 treaty.", 1,
     "The US account of its diplomacy before the suspension"),
    ("shareamerica_inf_2019", SHARE,
     "Beginning in 2013, Moscow repeatedly denied even the existence of the treaty-violating "
     "SSC-8/9M729", 1,
     "The US account of Russia's denials about the 9M729"),
    ("shareamerica_inf_2019", SHARE,
     "Russia only acknowledged the missile’s existence after the United States publicly identified "
     "it in 2017.", 1,
     "The US account of when the 9M729 became public"),
    ("putin_inf_2020", KREMLIN,
     "The Treaty was essential to maintaining predictability and restraint in the missile sphere "
     "in Europe.", 1,
     "Russia's official view of what the INF Treaty did for Europe"),
    ("putin_inf_2020", KREMLIN,
     "We consider the US withdrawal from the INF Treaty, as a result of which it was terminated, a "
     "serious mistake, which increases the risks of unleashing a missile arms race, stepping up "
     "confrontational potential and sliding into uncontrollable escalation.", 1,
     "The official text behind the state-media quote: it says 'serious mistake', not 'grave "
     "mistake'"),
    ("putin_inf_2020", KREMLIN,
     "Given the unrelenting tension between Russia and NATO, new threats to European security are "
     "becoming evident.", 1,
     "Russia's official warning about European security after INF"),
    ("putin_inf_2020", KREMLIN,
     "we reiterate our adherence to the moratorium on the deployment of ground-based INF missiles "
     "earlier declared by the Russian Federation until US-made missiles of similar classes are "
     "deployed in the corresponding regions.", 1,
     "Russia's conditional moratorium on deploying intermediate-range missiles"),
    ("putin_inf_2020", KREMLIN,
     "our call to NATO countries to consider the possibility of declaring a counter-moratorium "
     "remains relevant.", 1,
     "Russia asks NATO for a matching moratorium"),
    ("putin_inf_2020_uk", KREMLIN,
     "The Treaty played the most particular role in maintaining predictability and restraint in "
     "the missile sphere in the European area.", 1,
     "The same sentence in a second official translation: translations of one statement differ"),
    ("putin_inf_2020_uk", KREMLIN,
     "We consider the US withdrawal from the INF Treaty, that entailed its termination, as a "
     "serious mistake, which increases the risks of triggering a missile arms race, rise of "
     "confrontational potential and sliding into an uncontrolled escalation.", 1,
     "The 'serious mistake' sentence in a second official translation"),
    ("state_new_start_2020", STATE,
     "Data in this Fact Sheet comes from the biannual exchange of data required by the Treaty.", 1,
     "The US figures come from the treaty's twice-yearly data exchange"),
    ("state_new_start_2020", STATE,
     "It contains data declared current as of September 1, 2020.", 1,
     "The 'as of' date of the figures, earlier than the fact sheet's own date"),
    ("state_new_start_2020", STATE,
     "Heavy Bombers Equipped for Non-nuclear Armaments 0 41 41", 1,
     "The US counts 41 B-52H bombers as equipped for non-nuclear armaments: the same number of "
     "bombers whose conversion Russia's Foreign Ministry said in 2022 it could not confirm"),
    ("mid_new_start_2022", MFA,
     "is achieved not only through real U.S. arms reduction but also by unilateral removal from "
     "accountability of 56 Trident II SLBM launchers and 41 B-51H heavy bombers.", 1,
     "Russia's charge that the US reached the 800-launcher limit partly by conversions"),
    ("mid_new_start_2022", MFA,
     "the Russian Side cannot confirm that these strategic offensive arms were effectively rendered "
     "incapable of employing nuclear armaments", 1,
     "Russia says it cannot verify the US conversions"),
    ("mid_new_start_2022", MFA,
     "Therefore, the allowed rate under subparagraph 1(c) of Article II of the Treaty is exceeded "
     "by 101 units.", 1,
     "Russia's claim that the US exceeds the limit of 800 launchers by 101 (56 + 41 + 4); the US "
     "declared exactly 800"),
]


def find(text: str, quote: str, occurrence: int) -> int:
    """Return the start offset of the ``occurrence``-th appearance of ``quote`` in ``text``."""
    # Only count appearances that open with a quotation mark, so "ready" is not found in "already".
    starts = [i for i in range(len(text)) if text.startswith(quote, i) and text[i - 1] in "“\"‘'"]
    if len(starts) < occurrence:
        raise SystemExit(f"quoted text not found (occurrence {occurrence}): {quote[:60]!r}")
    return starts[occurrence - 1]


def find_plain(text: str, passage: str, occurrence: int) -> int:
    """Return the start of ``passage`` in ``text``; it must occur once unless ``occurrence`` > 1."""
    starts = [m.start() for m in re.finditer(re.escape(passage), text)]
    if len(starts) < occurrence:
        raise SystemExit(f"passage not found (occurrence {occurrence}): {passage[:60]!r}")
    if occurrence == 1 and len(starts) > 1:
        raise SystemExit(f"passage occurs {len(starts)} times, give an occurrence: "
                         f"{passage[:60]!r}")
    return starts[occurrence - 1]


def build_rows() -> list[dict]:
    """Return the quotes.csv rows: ids, offsets and paragraph numbers worked out from the text."""
    texts = {sid: sources.raw_text(sid) for sid in sources.SOURCE_FILES}
    kinds = data.load_sources().set_index("source_id")["source_kind"].astype(str).to_dict()
    entries = [(source, who, attribution, quote, find(texts[source], quote, occurrence), evidence)
               for source, who, attribution, quote, occurrence, evidence in QUOTES]
    entries += [(source, who, "document", passage, find_plain(texts[source], passage, occurrence),
                 evidence) for source, who, passage, occurrence, evidence in DOCUMENT_QUOTES]
    rows = []
    for source, (speaker, role), attribution, quote, start, evidence in entries:
        rows.append({
            "quote_id": "", "source_id": source,
            "speaker": speaker, "role": role, "quote": quote,
            "start": start, "end": start + len(quote), "attribution": attribution,
            "evidence_of": evidence, "paragraph": sources.paragraph_number(source, start),
            "source_kind": kinds[source],
        })
    order = list(sources.SOURCE_FILES)
    rows.sort(key=lambda r: (order.index(r["source_id"]), r["start"]))
    for source in order:
        mine = [r for r in rows if r["source_id"] == source]
        for number, row in enumerate(mine, start=1):
            row["quote_id"] = f"{PREFIX[source]}_q{number:02d}"
    return rows


def main() -> None:
    rows = build_rows()
    with open(ROOT / "data" / "quotes.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} quotes")


if __name__ == "__main__":
    main()
