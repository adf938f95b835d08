"""Rebuild data/quotes.csv from the raw articles and the hand-made attribution list below.

Run once by the maintainers (``python tools/make_quotes.py``); the notebooks never run it.
Each entry names a verbatim quote, its speaker and what it is evidence of; the script finds the
quote's character offsets in the raw file, so offsets are never typed by hand. It fails if a quote
is missing or ambiguous (then give ``occurrence``).
"""
from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = {"cnn_2018": "000_ba21c5809a8d4e30.txt", "statemedia_2020": "004_65a832ffe820ca47.txt"}

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
]


def find(text: str, quote: str, occurrence: int) -> int:
    """Return the start offset of the ``occurrence``-th appearance of ``quote`` in ``text``."""
    # Only count appearances that open with a quotation mark, so "ready" is not found in "already".
    starts = [i for i in range(len(text)) if text.startswith(quote, i) and text[i - 1] in "“\"‘'"]
    if len(starts) < occurrence:
        raise SystemExit(f"quoted text not found (occurrence {occurrence}): {quote[:60]!r}")
    return starts[occurrence - 1]


def main() -> None:
    texts = {sid: (ROOT / "data" / "sources" / f).read_text(encoding="utf-8") for sid, f in FILES.items()}
    rows = []
    prefix = {"cnn_2018": "cnn", "statemedia_2020": "sm"}
    for source, (speaker, role), attribution, quote, occurrence, evidence in QUOTES:
        start = find(texts[source], quote, occurrence)
        rows.append({
            "quote_id": "", "source_id": source,
            "speaker": speaker, "role": role, "quote": quote,
            "start": start, "end": start + len(quote), "attribution": attribution,
            "evidence_of": evidence,
        })
    rows.sort(key=lambda r: (r["source_id"] != "cnn_2018", r["start"]))
    for source in FILES:
        mine = [r for r in rows if r["source_id"] == source]
        for number, row in enumerate(mine, start=1):
            row["quote_id"] = f"{prefix[source]}_q{number:02d}"
    with open(ROOT / "data" / "quotes.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} quotes")


if __name__ == "__main__":
    main()
