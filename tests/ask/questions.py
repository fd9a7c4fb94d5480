"""The questions 法规问答 must answer (tests/ask/test_answers.py; timed by bench/ask.py)."""

# Question → a rule that must be among the first three answers.
QUESTIONS = [
    # The three questions.
    ("支委会多久开一次", "MTG-3"),
    ("预备党员可以当入党介绍人吗", "DEV-9"),
    ("退休党员党费怎么交", "DUE-3"),
    # And the everyday ones.
    ("党员大会多久开一次", "MTG-1"),
    ("党小组会多长时间开一次", "MTG-4"),
    ("党课每年要讲几次", "MTG-5A"),
    ("主题党日每月都要搞吗", "MTG-6"),
    ("组织生活会什么时候开", "MTG-7"),
    ("民主评议党员一年几次", "MTG-8"),
    ("谈心谈话一年几次", "MTG-9"),
    ("连续6个月不参加组织生活怎么办", "MTG-10"),
    ("党员每年学习培训多少学时", "EDU-1"),
    ("党员失联多久停止党籍", "EDU-3"),
    ("多少个月不交党费算自行脱党", "DUE-10"),
    ("工资3000元以下党费比例", "DUE-2"),
    ("预备期多长", "DEV-22"),
    ("入党积极分子多久考察一次", "DEV-6"),
    ("发展对象培训多少学时", "DEV-11"),
    ("支部委员会任期几年", "ORG-5"),
    ("几个正式党员可以成立党支部", "ORG-1"),
    ("党支部书记需要几年党龄", "ORG-7"),
    ("选举时到会人数要多少", "ELE-4"),
    ("预备党员有没有表决权", "ELE-2"),
    ("组织关系介绍信有效期", "TRF-1"),
]
