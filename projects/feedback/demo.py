"""Demo feedback for `load_demo`: a moderator's realistic queue, from a fixed random seed.

Messages on 2022 items in every state — pending (some past their deadline), published with
the department's answer, routed to a department, not published but answered — and
satisfaction ratings on finished items. Contacts are obviously fake (138 0000 xxxx).
"""

from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from ..choices import FeedbackKind, Status
from ..models import Feedback, ProjectPage
from . import moderation
from .deadlines import reply_due
from .submission import store_feedback

MESSAGES = [
    (FeedbackKind.SUGGESTION, "建议在东门增设非机动车停放点，现在电动车乱停挡住人行道。"),
    (FeedbackKind.QUESTION, "请问这个项目什么时候可以对外开放？周末能带孩子去吗？"),
    (FeedbackKind.COMPLAINT, "晚上十点以后还在施工，噪音很大，影响休息，请协调。"),
    (FeedbackKind.PRAISE, "新修的步道很平整，老人散步方便多了，点赞！"),
    (FeedbackKind.CORRECTION, "现场看进度没有写的那么快，北侧还没有动工。"),
    (FeedbackKind.SUGGESTION, "希望多安排一些座椅和遮阳棚，夏天太晒了。"),
    (FeedbackKind.QUESTION, "项目完成后由哪个部门负责日常维护？"),
    (FeedbackKind.SUGGESTION, "建议增加无障碍坡道，方便轮椅通行。"),
]
REPLIES = [
    "感谢您的建议，我们已将相关意见转交施工单位，将在下一阶段施工中落实。",
    "经核实，该项目预计年底前完工并对外开放，届时将在本网站公布。",
    "已责成施工单位严格执行夜间施工管理规定，22时后停止高噪音作业。",
]
NOT_PUBLISHED_REPLY = "您反映的问题不属于本项目范围，已转交相关部门处理，请留意后续答复。"
RATING_COMMENTS = ["", "", "设施很好，希望加强日常维护。", "总体满意，停车位偏少。"]


def load_demo_feedback(rng, as_of=None):
    """Create about thirty messages on the 2022 items; does nothing if feedback exists."""
    if Feedback.objects.exists():
        return 0
    now = timezone.now()
    moderator = User.objects.filter(username="moderator").first()
    items = list(ProjectPage.objects.live().filter(path__isnull=False).order_by("path"))
    items = [item for item in items if item.year_page and item.year_page.year == 2022]
    if not items or moderator is None:
        return 0
    count = 0
    for n in range(28):
        item = rng.choice(items)
        kind, text = MESSAGES[n % len(MESSAGES)]
        days_ago = rng.randint(0, 12)
        created = now - timedelta(days=days_ago, hours=rng.randint(0, 10))
        feedback, _created = store_feedback(
            project=item,
            kind=kind,
            message=f"{text}（No.{item.number}）",
            name=rng.choice(["", "", "王女士", "李先生", "张阿姨"]),
            show_name=rng.random() < 0.3,
            contact=f"1380000{rng.randint(1000, 9999)}" if rng.random() < 0.6 else "",
        )
        Feedback.objects.filter(pk=feedback.pk).update(
            created_at=created, reply_due=reply_due(created)
        )
        feedback.refresh_from_db()
        fate = n % 7
        if fate in (1, 2, 3):
            moderation.approve(feedback, moderator)
            if fate != 3 or kind in (FeedbackKind.PRAISE,):
                moderation.reply(feedback, moderator, REPLIES[n % len(REPLIES)])
        elif fate == 4:
            moderation.approve(feedback, moderator)
            moderation.route(feedback, moderator, item.department)
        elif fate == 5 and n % 2:
            # Not published, yet answered: every message gets an answer on its status page.
            moderation.reject(feedback, moderator, "与本项目无关。")
            moderation.reply(feedback, moderator, NOT_PUBLISHED_REPLY)
        count += 1
    for item in [i for i in items if i.status == Status.COMPLETED][:6]:
        for k in range(rng.randint(2, 5)):
            feedback, _created = store_feedback(
                project=item,
                kind=FeedbackKind.RATING,
                rating=rng.choice([3, 4, 4, 5, 5, 5]),
                message=rng.choice(RATING_COMMENTS) + ("" if k == 0 else ""),
            )
            if feedback.status == "pending":
                moderation.approve(feedback, moderator)
            count += 1
    return count
