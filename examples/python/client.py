#!/usr/bin/env python3
"""A Creditgraph client with Python's standard library only (3.8+).

    python3 examples/python/client.py

Settings (environment): CREDITGRAPH_URL (default
http://localhost:8080/graphql), CREDITGRAPH_KEY (an API key; none: PUBLIC),
CREDITGRAPH_USCC (the enterprise to look up), CREDITGRAPH_PAGES (pages of the
list to read, default 3).

It looks up one enterprise's profile, pages through the enterprises of Fujian
20 at a time, and, when the server answers THROTTLED (HTTP 429), waits the
seconds Retry-After says and tries again.
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request

URL = os.environ.get("CREDITGRAPH_URL", "http://localhost:8080/graphql")
KEY = os.environ.get("CREDITGRAPH_KEY", "")
USCC = os.environ.get("CREDITGRAPH_USCC", "91350582MAE11H479P")
PAGES = int(os.environ.get("CREDITGRAPH_PAGES", "3"))
MAX_TRIES = 5

PROFILE = """query Profile($uscc: ID!) {
  enterprise(uscc: $uscc) {
    name status
    creditSummary { penaltyCount totalFines onSeriousDishonestyList validLicenseCount }
    penalties(first: 5) { nodes { decisionNumber fineAmount publishedOn disclosureEndsOn } }
  }
}"""

PAGE = """query Page($after: String) {
  enterprises(filter: {regionCode: "35"}, first: 20, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { uscc name }
  }
}"""


class APIError(Exception):
    pass


def graphql(query, variables):
    """Posts one query and returns its data; THROTTLED is retried after
    Retry-After seconds, any other error raised with its code."""
    body = json.dumps({"query": query, "variables": variables}).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if KEY:
        headers["Authorization"] = "Bearer " + KEY
    for attempt in range(1, MAX_TRIES + 1):
        req = urllib.request.Request(URL, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req) as res:
                status, hdrs, answer = res.status, res.headers, json.load(res)
        except urllib.error.HTTPError as err:  # 4xx/5xx still carry a GraphQL body
            status, hdrs, answer = err.code, err.headers, json.load(err)
        errors = answer.get("errors") or []
        code = errors[0].get("extensions", {}).get("code") if errors else None
        if status == 429 or code == "THROTTLED":
            wait = int(hdrs.get("Retry-After") or 1)
            if attempt == MAX_TRIES:
                raise APIError("THROTTLED %d times; giving up" % attempt)
            print("throttled: retrying in %ds (remaining %s)" % (wait, hdrs.get("X-RateLimit-Remaining")), flush=True)
            time.sleep(wait)
            continue
        if errors:
            raise APIError("%s: %s" % (code or "ERROR", errors[0].get("message")))
        return answer["data"]
    raise APIError("unreachable")


def main():
    e = graphql(PROFILE, {"uscc": USCC})["enterprise"]
    if e is None:
        raise APIError("no enterprise " + USCC)
    s = e["creditSummary"]
    print("profile: %s (%s), %d penalties disclosed, fines ¥%s, %d valid licences, serious list: %s"
          % (e["name"], e["status"], s["penaltyCount"], s["totalFines"], s["validLicenseCount"],
             str(s["onSeriousDishonestyList"]).lower()), flush=True)
    after = None
    for n in range(1, PAGES + 1):
        c = graphql(PAGE, {"after": after})["enterprises"]
        first = c["nodes"][0]["name"] if c["nodes"] else "-"
        print("page %d: %d of %d enterprises, first %s" % (n, len(c["nodes"]), c["totalCount"], first), flush=True)
        if not c["pageInfo"]["hasNextPage"]:
            break
        after = c["pageInfo"]["endCursor"]
    print("done")


if __name__ == "__main__":
    try:
        main()
    except (APIError, urllib.error.URLError) as err:
        print("error: %s" % err, file=sys.stderr)
        sys.exit(1)
