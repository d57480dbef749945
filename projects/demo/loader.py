"""Builds the demo years: reference lists, accounts, the 2021 and 2022 lists with photos.

Deterministic for a given seed and "as of" date. Used by `manage.py load_demo`.
"""

import io
import math
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django.utils.module_loading import import_string
from wagtail.signal_handlers import disable_reference_index_auto_update

from ..factories import (
    CategoryFactory,
    DepartmentFactory,
    DistrictFactory,
    ImageFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from ..feedback.demo import load_demo_feedback
from ..models import (
    DepartmentMember,
    ProjectGalleryImage,
    ProjectIndexPage,
    ProjectMilestone,
    SearchSynonym,
    UpdatePhoto,
)
from ..pagination import CARDS_PER_PAGE
from ..schedule import assess, expected_progress, is_behind
from . import catalogue
from .photos import make_site_photo

DEMO_USERS = [
    # username, group, is_superuser, last and first name (Wagtail's account form needs both
    # before it saves any preference, the admin language included)
    ("admin", None, True, "管", "理员"),
    ("editor", "Editors", False, "李", "编辑"),
    ("reviewer", "Reviewers", False, "王", "审核"),
    ("moderator", "Feedback moderators", False, "张", "留言"),
]
DEMO_EDITOR_DEPARTMENTS = ["emergency-bureau", "culture-bureau", "social-affairs-bureau"]
STREETS = ["创新大街", "大旺大道", "亚铝大街", "北江大街", "工业大道", "永安大街", "迎宾大道"]
# The causes (catalogue.LAG_CAUSES) that a revised completion date is approved for.
DELAY_CAUSES = ["land", "epidemic", "design", "rain"]
TAGS = {
    "education": ["一老一小", "学位建设"],
    "health": ["健康高新"],
    "parks": ["碧道", "全民健身"],
    "roads": ["交通畅通"],
    "ecology": ["治水", "生态"],
    "culture": ["全民健身", "文化惠民"],
    "social": ["兜底保障"],
    "elderly": ["一老一小", "适老化"],
    "safety": ["平安高新"],
    "housing": ["城市更新"],
}


class DemoLoader:
    def __init__(self, *, as_of: date, seed: int = 2022, photo_size=(1200, 800), log=None):
        self.as_of = as_of
        self.photo_size = photo_size
        self.rng = random.Random(seed)
        # Reasons for lateness draw from their own stream, so adding them left the rest of the
        # demo (dates, progress, colours) exactly as it was.
        self.reason_rng = random.Random(seed + 1)
        self.log = log or (lambda message: None)
        self.photo_count = 0

    def run(self):
        # Saving ~1,000 objects one by one would re-index references after each save;
        # index them once at the end instead.
        with disable_reference_index_auto_update():
            self.load()
        call_command("rebuild_references_index", stdout=io.StringIO())
        self.warm_up()

    def warm_up(self):
        """Render the overview and every page of the year lists once, so their ~600 photo
        renditions exist before the first visitor asks (item pages make their few on first
        view)."""
        client = Client(HTTP_HOST="localhost")
        for year_page in ProjectIndexPage.objects.live():
            pages = math.ceil(year_page.items().count() / CARDS_PER_PAGE)
            for number in range(1, pages + 1):
                client.get(year_page.url, {"page": number} if number > 1 else {})
        client.get("/")

    @transaction.atomic
    def load(self):
        # The home page and the footer are the site's (`portal`), named by the settings.
        home = import_string(settings.PORTAL_DEMO_SITE)()
        self.ensure_reference_data()
        SearchSynonym.ensure_seeded()
        self.ensure_users()
        previous = [(*item, 1) for item in catalogue.PREVIOUS_YEAR_ITEMS]
        self.ensure_year(home, 2021, previous, as_of=date(2021, 12, 31), all_done=True)
        self.ensure_year(home, 2022, self.items_2022(), as_of=self.as_of)
        load_demo_feedback(self.rng)

    # -- site, lists and accounts -----------------------------------------------------------

    def ensure_reference_data(self):
        self.categories = {
            slug: CategoryFactory(
                slug=slug, name=name, name_en=en, colour=colour, icon=icon, sort_order=i
            )
            for i, (slug, name, en, colour, icon) in enumerate(catalogue.CATEGORIES)
        }
        self.departments = {
            slug: DepartmentFactory(slug=slug, name=name, name_en=en, sort_order=i)
            for i, (slug, name, en) in enumerate(catalogue.DEPARTMENTS)
        }
        self.districts = {
            slug: DistrictFactory(slug=slug, name=name, name_en=en, sort_order=i)
            for i, (slug, name, en, _lat, _lng) in enumerate(catalogue.DISTRICTS)
        }
        self.centres = {slug: (lat, lng) for slug, _n, _e, lat, lng in catalogue.DISTRICTS}

    def ensure_users(self):
        for username, group_name, is_superuser, last_name, first_name in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@minsheng.example.cn",
                    "is_staff": True,
                    "is_superuser": is_superuser,
                    "last_name": last_name,
                    "first_name": first_name,
                },
            )
            if created:
                user.set_password(settings.DEMO_PASSWORD)
                user.save()
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
        # Editors change only their departments' items: the demo editor answers for the
        # emergency bureau (item No. 37 of 2022) and two departments with many items.
        editor = User.objects.get(username="editor")
        for slug in DEMO_EDITOR_DEPARTMENTS:
            DepartmentMember.objects.get_or_create(user=editor, department=self.departments[slug])

    def items_2022(self):
        items = list(catalogue.ITEMS)
        for slug, district, *_rest in catalogue.DISTRICTS:
            for title, *fields in catalogue.PER_DISTRICT:
                items.append((title.format(d=district), *fields, slug))
        return items

    def english_title(self, title, district):
        """The catalogue's English title for a Chinese one, also for titles made per district."""
        if title in catalogue.TITLES_EN:
            return catalogue.TITLES_EN[title]
        template = "{d}" + title.removeprefix(district.name)
        return catalogue.TITLES_EN.get(template, "").format(d=district.name_en)

    # -- a year -----------------------------------------------------------------------------

    def ensure_year(self, home, year, items, *, as_of, all_done=False):
        if ProjectIndexPage.objects.filter(year=year).exists():
            self.log(f"{year}: already there, left as it is")
            return
        year_page = ProjectIndexPageFactory(
            parent=home,
            year=year,
            title=f"{year}年民生实事",
            intro=(
                f"<p>{year}年，高新区坚持尽力而为、量力而行，着力办好“小切口大变化”民生实事"
                f"{len(items)}件，促进全区人民共享大旺改革发展成果。</p>"
            ),
            status_date=as_of,
        )
        for number, item in enumerate(items, start=1):
            self.build_item(year_page, number, item, as_of=as_of, all_done=all_done)
        self.log(f"{year}: {len(items)} items")

    def build_item(self, year_page, number, item, *, as_of, all_done):
        title, category, department, kind, budget, summary, district = item[:7]
        rng = self.rng
        year = year_page.year
        start = date(year, 1, 10) + timedelta(days=rng.randint(0, 200 if not all_done else 120))
        start = min(start, as_of - timedelta(days=45))
        completion = max(start + timedelta(days=rng.randint(120, 330)), start + timedelta(days=90))
        completion = min(completion, date(year, 12, 31))
        final = 100 if all_done else self.final_progress(start, completion, as_of)
        lat, lng = self.centres[district]
        department = self.departments[department]
        fields = {
            "number": number,
            "title": title,
            "title_en": self.english_title(title, self.districts[district]),
            "summary": summary,
            "category": self.categories[category],
            "department": department,
            "district": self.districts[district],
            "address": f"肇庆高新区{self.districts[district].name}{rng.choice(STREETS)}"
            f"{rng.randint(1, 120)}号",
            "latitude": Decimal(f"{lat + rng.gauss(0, 0.005):.6f}"),
            "longitude": Decimal(f"{lng + rng.gauss(0, 0.006):.6f}"),
            "budget": Decimal(budget) * Decimal(rng.choice(["0.9", "1", "1", "1.1", "1.25"])),
            "planned_start": start,
            "planned_completion": completion,
            "body": [
                ("heading", "建设内容"),
                ("paragraph", f"<p>{summary}由{department.name}牵头实施。</p>"),
                ("heading", "预期效果"),
                ("paragraph", "<p>项目建成后将进一步改善周边群众生产生活条件。</p>"),
            ],
        }
        expected = expected_progress(start, completion, as_of)
        cause = self.reason_rng.choice(catalogue.CAUSES_BY_KIND[kind])
        if not all_done and final < 100 and expected - final >= 15 and rng.random() < 0.6:
            fields["revised_completion"] = completion + timedelta(days=rng.randint(45, 120))
            cause = rng.choice(DELAY_CAUSES)
            fields["delay_reason"] = catalogue.LAG_CAUSES[cause]["item"]
        if number == 63 and not all_done:
            fields["suspended"] = True
            fields["delay_reason"] = "因规划调整暂停施工，待新方案批复后复工。"
        item = ProjectPageFactory(parent=year_page, **fields)
        item.tags.add(*rng.sample(TAGS[category], k=1))
        self.add_updates(item, kind, cause, start, completion, final, as_of)

    def final_progress(self, start, completion, as_of):
        """A plausible spread: most items on schedule, some behind, a few far behind."""
        rng = self.rng
        if completion <= as_of:
            return 100 if rng.random() < 0.85 else rng.randint(70, 95)
        expected = expected_progress(start, completion, as_of)
        roll = rng.random()
        if roll < 0.6:
            factor = rng.uniform(0.97, 1.25)
        elif roll < 0.77:
            factor = rng.uniform(0.86, 0.96)
        elif roll < 0.9:
            factor = rng.uniform(0.7, 0.85)
        else:
            factor = rng.uniform(0.35, 0.6)
        return max(5, min(round(expected * factor), 95))

    def add_updates(self, item, kind, cause, start, completion, final, as_of):
        rng = self.rng
        last_day = min(as_of, completion + timedelta(days=20)) if final == 100 else as_of
        span = max((last_day - start).days, 20)
        count = max(1, min(rng.randint(1, 6), span // 25))
        photos = []
        for i in range(1, count + 1):
            day = start + timedelta(days=round(span * i / count) - rng.randint(0, 6))
            day = min(max(day, start + timedelta(days=7)), last_day)
            progress = final if i == count else max(3, round(final * i / count - rng.randint(0, 6)))
            update = ProgressUpdatePageFactory(
                parent=item,
                date=day,
                progress=progress,
                invested=(item.budget * progress / 100).quantize(Decimal("0.01")),
                text=f"<p>{self.update_text(kind, progress)}</p>",
                # The last update is judged as of the year's date, the others as of their own.
                lag_reason=self.lag_reason(
                    item, cause, start, completion, progress, on=as_of if i == count else day
                ),
            )
            published = timezone.make_aware(datetime.combine(day, time(10, rng.randint(0, 59))))
            type(update).objects.filter(pk=update.pk).update(
                first_published_at=published, last_published_at=published
            )
            for k in range(rng.choices([1, 2, 3, 4], weights=[4, 3, 2, 1])[0]):
                image = self.photo(item, kind, progress, day, k)
                UpdatePhoto.objects.create(page=update, image=image, sort_order=k)
                photos.append((image, progress))
        self.finish_item(item, photos, start, completion, final)

    def finish_item(self, item, photos, start, completion, final):
        first, last = photos[0][0], photos[-1][0]
        gallery = [(first, "before" if final == 100 and first != last else "")]
        if last != first:
            gallery.append((last, "after" if final == 100 else ""))
        for order, (image, stage) in enumerate(gallery):
            ProjectGalleryImage.objects.create(
                page=item, image=image, caption=image.title, stage=stage, sort_order=order
            )
        duration = (completion - start).days
        milestones = [
            ("立项批复", start - timedelta(days=30), 0),
            ("开工建设", start, 1),
            ("主体完工", start + timedelta(days=round(duration * 0.7)), 70),
            ("竣工验收", completion, 100),
        ]
        for order, (name, planned, needed) in enumerate(milestones):
            done = planned if final >= needed and (needed < 100 or final == 100) else None
            ProjectMilestone.objects.create(
                page=item, name=name, planned_date=planned, done_date=done, sort_order=order
            )
        item.cover_image = last
        item.save_revision().publish()

    def lag_reason(self, item, cause, start, completion, progress, *, on):
        """What an update that leaves the item orange or red explains (the update form asks)."""
        if not is_behind(
            assess(progress=progress, start=start, completion=completion, on=on).colour
        ):
            return ""
        if item.suspended:
            return item.delay_reason
        if on > completion and progress >= 80:
            cause = "acceptance"  # past the date and nearly done: held up at the finish
        text = self.reason_rng.choice(catalogue.LAG_CAUSES[cause]["update"])
        return text.format(
            month=on.month % 12 + 1,
            households=self.reason_rng.randint(3, 17),
            days=self.reason_rng.randint(12, 35),
            done=self.reason_rng.randint(5, 30),
        )

    def update_text(self, kind, progress):
        phrases = catalogue.UPDATE_TEXTS.get(kind, catalogue.UPDATE_TEXTS["facility"])
        stage = 3 if progress >= 100 else 0 if progress < 30 else 1 if progress < 70 else 2
        return phrases[stage].format(
            floor=self.rng.randint(2, 6),
            workers=self.rng.randint(40, 260),
            trees=self.rng.randint(80, 900),
            km=round(self.rng.uniform(0.8, 4.5), 1),
            volume=round(self.rng.uniform(1.5, 12), 1),
            done=self.rng.randint(3, 18),
        )

    def photo(self, item, kind, progress, day, index):
        self.photo_count += 1
        caption = f"No.{item.number} {item.title} · {day.isoformat()}"
        data = make_site_photo(
            kind=kind,
            stage=progress / 100,
            seed=item.pk * 10 + index,  # one site per item (and view), seen at every update
            caption=caption,
            width=self.photo_size[0],
            height=self.photo_size[1],
        )
        name = f"demo-{item.number:03d}-{day:%Y%m%d}-{index}.jpg"
        return ImageFactory(
            title=f"{item.title}（{day:%Y年%-m月%-d日}）",
            file=ImageFile(io.BytesIO(data), name=name),
            date_taken=day,
            credit=item.department.name,
        )
