"""The consistency checks the 党内统计 tables require: each with its numbers and pass/fail."""

from __future__ import annotations

from dangjian.statistics.categories import DECREASES, INCREASES


def _check(key: str, title: str, left: int, right: int, formula: str) -> dict:
    return {
        "key": key,
        "title": title,
        "passed": left == right,
        "left": left,
        "right": right,
        "formula": formula,
    }


def run_checks(figures: dict, flows) -> list[dict]:
    m, s, c = figures["members"], figures["start"], figures["changes"]

    def by(status: str, keys) -> int:
        return sum(flows.by_status.get((k, status), 0) for k in keys)

    full_in, full_out = by("full", INCREASES), by("full", DECREASES)
    prob_in, prob_out = by("probationary", INCREASES), by("probationary", DECREASES)
    made_full = c["made_full"]
    checks = [
        _check(
            "balance_total",
            "党员总数：年初数 + 增加 − 减少 = 年末数",
            s["total"] + c["increase"] - c["decrease"],
            m["total"],
            f"{s['total']} + {c['increase']} − {c['decrease']} = {m['total']}",
        ),
        _check(
            "balance_full",
            "正式党员：年初数 + 转正 + 增加 − 减少 = 年末数",
            s["full"] + made_full + full_in - full_out,
            m["full"],
            f"{s['full']} + {made_full} + {full_in} − {full_out} = {m['full']}",
        ),
        _check(
            "balance_probationary",
            "预备党员：年初数 + 增加 − 转正 − 减少 = 年末数",
            s["probationary"] + prob_in - made_full - prob_out,
            m["probationary"],
            f"{s['probationary']} + {prob_in} − {made_full} − {prob_out} = {m['probationary']}",
        ),
    ]
    for key, title, parts in (
        ("sum_status", "党员总数 = 正式党员 + 预备党员", [m["full"], m["probationary"]]),
        ("sum_gender", "党员总数 = 男党员 + 女党员", [m["male"], m["female"]]),
        ("sum_ethnicity", "党员总数 = 汉族 + 少数民族", [m["han"], m["minority"]]),
        ("sum_age", "党员总数 = 各年龄段之和", list(m["age_bands"].values())),
        ("sum_education", "党员总数 = 各学历之和", list(m["education"].values())),
        ("sum_occupation", "党员总数 = 各职业之和", list(m["occupation"].values())),
        (
            "sum_children",
            "党员总数 = 各下级组织党员数之和 + 直属党员",
            [ch["total"] for ch in figures["children"]] + [figures["direct"]],
        ),
    ):
        total = sum(parts)
        formula = " + ".join(str(p) for p in parts) + f" = {m['total']}"
        checks.append(_check(key, title, total, m["total"], formula))
    o = figures["orgs"]
    kinds = [v for k, v in o.items() if k != "total"]
    checks.append(
        _check(
            "sum_orgs",
            "党组织合计 = 各类党组织之和",
            sum(kinds),
            o["total"],
            " + ".join(str(k) for k in kinds) + f" = {o['total']}",
        )
    )
    checks.append(
        _check(
            "history",
            "变动记录与党员档案一致（不一致的党员为 0）",
            figures["history_mismatches"],
            0,
            f"{figures['history_mismatches']} = 0",
        )
    )
    return checks
