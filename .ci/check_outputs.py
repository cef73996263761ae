"""Checks the output topics read by kcat against the reference results and the /metrics scrape."""
import collections
import json
import re
import sys

expected_file, total, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
expected = {}
with open(expected_file, encoding="utf-8") as lines:
    for line in lines:
        answer = json.loads(line)
        expected[answer["id"]] = answer

seen = collections.Counter()
counts = collections.Counter()
problems = []
for topic in ("spam", "alert", "pass", "dead-letter"):
    with open(f"{work}/{topic}.jsonl", encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            event = json.loads(line)
            kind = "features" if "features" in event else "logits"
            seen[(event["id"], kind)] += 1
            answer = expected[event["id"]]
            scoring = event.get("scoring", {})
            if topic != answer["route"]:
                problems.append(f"{event['id']} ({kind}) landed on {topic}, expected {answer['route']}")
                continue
            probability = next(iter(scoring["probabilities"].values()))
            if abs(probability - answer["probability"]) > 1e-12:
                problems.append(f"{event['id']} ({kind}) probability {probability} != {answer['probability']}")
            if scoring["fired"] != answer["fired"]:
                problems.append(f"{event['id']} ({kind}) fired {scoring['fired']} != {answer['fired']}")
            counts[(answer["model"], topic)] += 1

received = sum(seen.values())
duplicates = [key for key, count in seen.items() if count > 1]
missing = [(event_id, kind) for event_id in expected for kind in ("features", "logits") if (event_id, kind) not in seen]

metrics = {}
with open(f"{work}/metrics.txt", encoding="utf-8") as lines:
    for line in lines:
        match = re.match(r'scoring_events_total\{model="([^"]+)",route="([^"]+)"\} (\S+)', line)
        if match:
            metrics[(match.group(1), match.group(2))] = float(match.group(3))
for key, count in counts.items():
    if metrics.get(key) != count:
        problems.append(f"scoring_events_total{key} = {metrics.get(key)}, but {count} records arrived")

print(f"sent {total}, received {received}, missing {len(missing)}, duplicates {len(duplicates)}, "
      f"wrong {len(problems)}")
for (model, route), count in sorted(counts.items()):
    print(f"  {model:16} {route:6} {count:5}  (metrics: {metrics.get((model, route))})")
for problem in problems[:20]:
    print("  " + problem)
if received != total or missing or duplicates or problems:
    print("FAILED")
    sys.exit(1)
print("all events landed once, on the expected topic, within 1e-12 of the reference")
