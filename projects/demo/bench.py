"""A large, realistic data set for benchmarks: many past years of items on top of the demo.

Used by `manage.py generate_bench_data`. Items, their progress updates, milestones, tags and
photo links are written with bulk inserts, not `Page.add_child` and `save_revision` one by
one: at 10,000 items and ~35,000 updates the page-by-page path takes the better part of an hour.
What the bulk path skips and why that is safe here:

- Tree paths are computed, not looked up: every generated year is a new, empty page, so its
  items are its children 1…n and an item's updates are its children 1…k (treebeard's
  `_get_path`, the same path `add_child` would give); `numchild` is set to match.
- No revisions and no log entries: the pages are published as they stand (`live`,
  `has_unpublished_changes` false); Wagtail edits a page without a revision from its own row,
  and the first edit in the admin makes one as usual.
- The derived figures (progress, colour, lag, status, latest update) come from the model's own
  `refresh_progress`, via `ProjectIndexPage.refresh_items`, the daily refresh's path; the
  search index is filled with the backend's bulk `add_bulk`, the `update_index` path.
- The reference index (the admin's "usage" counts) is not updated: the photos are the demo's,
  already in use. Run `manage.py rebuild_references_index` if the admin's counts matter.

Photos are the demo's own images, reused: a generated item borrows the photos of a demo item of
the same category, so no image file is written and the existing renditions serve all of them.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from ..factories import ProjectIndexPageFactory
from ..models import (
    Category,
    Department,
    District,
    ProgressUpdatePage,
    ProjectGalleryImage,
    ProjectIndexPage,
    ProjectMilestone,
    ProjectPage,
    ProjectTag,
    UpdatePhoto,
)
from ..schedule import expected_progress
from . import catalogue
from .loader import DELAY_CAUSES, STREETS, TAGS, DemoLoader

# What gets built, by category: (things, ways of building them, the kind of work for photos and
# progress texts). Titles read "<district><community><thing><way>": 大沙片区龙湾社区口袋公园建设.
WORKS = {
    "education": (
        [
            "幼儿园",
            "小学教学楼",
            "中学运动场",
            "学校食堂",
            "校园饮水设施",
            "学校图书室",
            "课后托管点",
        ],
        ["新建工程", "扩建工程", "改造提升", "建设"],
        "building",
    ),
    "health": (
        ["社区卫生服务站", "卫生院门诊楼", "家庭医生工作室", "村卫生室", "急救站点", "中医馆"],
        ["标准化建设", "改造提升", "新建工程", "建设"],
        "facility",
    ),
    "parks": (
        ["口袋公园", "社区公园", "街心游园", "滨河绿道", "登山步道", "儿童游乐场"],
        ["建设", "提升改造", "新建工程"],
        "park",
    ),
    "roads": (
        ["道路“白改黑”", "人行道", "断头路", "公交候车亭", "路灯", "停车场", "乡村道路"],
        ["改造", "打通工程", "建设", "提升工程"],
        "road",
    ),
    "ecology": (
        ["雨污分流", "黑臭水体", "河涌", "水库水质", "污水管网", "垃圾分类屋"],
        ["改造", "整治", "提升工程", "建设"],
        "lake",
    ),
    "culture": (
        ["社区健身路径", "文化广场", "社区书屋", "篮球场", "全民健身中心", "农家书屋"],
        ["建设", "提升改造", "新建工程"],
        "park",
    ),
    "social": (
        ["党群服务中心", "政务自助服务点", "儿童之家", "社工站", "退役军人服务站", "便民服务中心"],
        ["提升", "建设", "标准化建设"],
        "facility",
    ),
    "elderly": (
        ["长者饭堂", "居家养老服务站", "适老化改造", "日间照料中心", "老年人活动室"],
        ["建设", "提升", "新建工程"],
        "facility",
    ),
    "safety": (
        ["智慧安防小区", "消防站", "微型消防站", "应急避难场所", "视频监控", "山林防火通道"],
        ["建设", "提升工程", "改造"],
        "facility",
    ),
    "housing": (
        ["老旧小区", "城中村", "供水管网", "燃气管道", "电梯加装", "农村公厕"],
        ["改造", "更新改造", "建设", "提升工程"],
        "building",
    ),
}
SUMMARIES = {
    "building": "{thing}{way}，完善配套设施，方便周边{people}。",
    "facility": "{thing}{way}，配齐设备和人员，服务辖区{people}。",
    "park": "{thing}{way}，增加绿地、步道和休憩设施，方便{people}就近活动。",
    "road": "{thing}{way}，改善通行条件，方便沿线{people}出行。",
    "lake": "{thing}{way}，改善水环境，让周边{people}享有清水绿岸。",
}
PEOPLE = ["居民", "群众", "老年人", "学生和家长", "村民", "上班族"]
COMMUNITIES = [
    "东城", "西岸", "龙湾", "新村", "怡景", "金湖", "凤岗", "上塘", "沙头", "白沙", "禾田", "长岗",
    "南山", "北江", "永安", "迎宾", "创业", "翠湖", "石岗", "莲塘",
]  # fmt: skip
DEPARTMENT_OF = {
    "education": ["education-bureau"],
    "health": ["health-bureau"],
    "parks": ["urban-management", "culture-bureau"],
    "roads": ["transport-bureau", "construction-bureau"],
    "ecology": ["environment-bureau", "water-bureau", "construction-bureau"],
    "culture": ["culture-bureau"],
    "social": ["social-affairs-bureau", "dawang-street"],
    "elderly": ["social-affairs-bureau"],
    "safety": ["public-security", "emergency-bureau"],
    "housing": ["construction-bureau", "urban-management"],
}
# How many progress updates an item has (0–6), and how many photos an update has (0–3).
UPDATE_COUNTS, UPDATE_WEIGHTS = range(7), [1, 3, 5, 5, 4, 2, 1]
PHOTO_COUNTS, PHOTO_WEIGHTS = range(4), [2, 4, 3, 1]
BATCH = 500


class BenchDataError(Exception):
    pass


@dataclass
class Built:
    """What was generated, for the command's report."""

    years: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    items: int = 0
    updates: int = 0
    photos: int = 0


class BenchDataGenerator:
    def __init__(self, *, years, items_per_year, last_year, seed=10, log=None):
        if not 1 <= items_per_year <= 999:
            raise BenchDataError("Items per year must be 1–999 (an item's number is 1–999).")
        self.target_years = list(range(last_year - years + 1, last_year + 1))
        self.items_per_year = items_per_year
        self.rng = random.Random(seed)
        self.helper = DemoLoader(as_of=date(2022, 10, 31), seed=seed)  # texts and reasons
        self.log = log or (lambda message: None)
        if not connection.features.can_return_rows_from_bulk_insert:
            raise BenchDataError("This database does not return ids from bulk inserts.")

    def run(self) -> Built:
        built = Built()
        self.load_reference_data()
        for year in self.target_years:
            if ProjectIndexPage.objects.filter(year=year).exists():
                built.skipped.append(year)
                self.log(f"{year}: already there, left as it is")
                continue
            with transaction.atomic():
                items, updates, photos = self.build_year(year)
            built.years.append(year)
            built.items += items
            built.updates += updates
            built.photos += photos
            self.log(f"{year}: {items} items, {updates} progress updates, {photos} photo links")
        return built

    # -- reference data and photos ---------------------------------------------------------

    def load_reference_data(self):
        self.home = Page.objects.filter(depth=2).order_by("path").first()
        if not ProjectIndexPage.objects.exists() or self.home is None:
            raise BenchDataError("No year list yet: run `manage.py load_demo` first.")
        self.categories = {c.slug: c for c in Category.objects.all()}
        self.departments = {d.slug: d for d in Department.objects.all()}
        self.districts = {d.slug: d for d in District.objects.all()}
        centres = {slug: (lat, lng) for slug, _n, _e, lat, lng in catalogue.DISTRICTS}
        self.centres = {slug: centres.get(slug, (23.34, 112.85)) for slug in self.districts}
        missing = set(WORKS) - set(self.categories)
        if missing or not self.districts or not self.departments:
            raise BenchDataError("The demo's categories are missing: run `manage.py load_demo`.")
        self.tags = {
            name: Tag.objects.get_or_create(name=name, defaults={"slug": name})[0]
            for names in TAGS.values()
            for name in names
        }
        # Each demo item's photos in the order they were taken, by category.
        photos = UpdatePhoto.objects.filter(page__live=True).order_by("page__path", "sort_order")
        by_update = {}
        for update_path, image_id in photos.values_list("page__path", "image_id"):
            by_update.setdefault(update_path[: -Page.steplen], []).append(image_id)
        category_of = dict(ProjectPage.objects.values_list("path", "category__slug"))
        self.photos = {}
        for item_path, images in by_update.items():
            if item_path in category_of:
                self.photos.setdefault(category_of[item_path], []).append(images)
        if not self.photos:
            raise BenchDataError("The demo has no photos to reuse: run `manage.py load_demo`.")
        everything = [images for sets in self.photos.values() for images in sets]
        for slug in WORKS:
            self.photos.setdefault(slug, everything)
        self.page_types = {
            model: ContentType.objects.get_for_model(model)
            for model in (ProjectPage, ProgressUpdatePage)
        }

    # -- a year ----------------------------------------------------------------------------

    def build_year(self, year):
        as_of = date(year, 12, 31)
        year_page = ProjectIndexPageFactory(
            parent=self.home,
            year=year,
            title=f"{year}年民生实事",
            intro=(
                f"<p>{year}年，高新区着力办好“小切口大变化”民生实事{self.items_per_year}件，"
                "促进全区人民共享改革发展成果。</p>"
            ),
            status_date=as_of,
        )
        plans = [
            self.plan_item(year, number, as_of) for number in range(1, self.items_per_year + 1)
        ]
        item_pages = self.insert_pages(
            ProjectPage, year_page, [plan["page"] for plan in plans], [p["fields"] for p in plans]
        )
        update_plans, update_parents = [], []
        for plan, item_page in zip(plans, item_pages, strict=True):
            for update in plan["updates"]:
                update_plans.append(update)
                update_parents.append(item_page)
        update_pages = self.insert_updates(update_plans, update_parents)
        self.insert_relations(plans, item_pages, update_plans, update_pages)
        year_page.refresh_items()  # progress, colour, lag, status, latest update
        self.index(year_page)
        photos = sum(len(update["photos"]) for update in update_plans)
        return len(item_pages), len(update_pages), photos

    def plan_item(self, year, number, as_of):
        rng = self.rng
        category = rng.choice(list(WORKS))
        things, ways, kind = WORKS[category]
        thing, way = rng.choice(things), rng.choice(ways)
        district = rng.choice(list(self.districts.values()))
        place = district.name + (
            rng.choice(COMMUNITIES) + rng.choice(["社区", "村", "社区", "片"])
            if rng.random() < 0.7
            else ""
        )
        department = self.departments.get(
            rng.choice(DEPARTMENT_OF[category]), next(iter(self.departments.values()))
        )
        start = date(year, 1, 10) + timedelta(days=rng.randint(0, 150))
        completion = min(start + timedelta(days=rng.randint(120, 330)), date(year, 12, 31))
        count = rng.choices(UPDATE_COUNTS, weights=UPDATE_WEIGHTS)[0]
        final = self.helper.final_progress(start, completion, as_of) if count else 0
        lat, lng = self.centres[district.slug]
        summary = SUMMARIES[kind].format(thing=thing, way=way, people=rng.choice(PEOPLE))
        fields = {
            "number": number,
            "title_en": "",
            "summary": summary,
            "category_id": self.categories[category].pk,
            "department_id": department.pk,
            "district_id": district.pk,
            "address": f"肇庆高新区{district.name}{rng.choice(STREETS)}{rng.randint(1, 120)}号",
            "latitude": Decimal(f"{lat + rng.gauss(0, 0.005):.6f}"),
            "longitude": Decimal(f"{lng + rng.gauss(0, 0.006):.6f}"),
            "budget": Decimal(rng.choice([60, 120, 180, 260, 420, 860, 1500, 3200, 9800])),
            "planned_start": start,
            "planned_completion": completion,
            "body": [
                ("heading", "建设内容"),
                ("paragraph", f"<p>{summary}由{department.name}牵头实施。</p>"),
                ("heading", "预期效果"),
                ("paragraph", "<p>项目建成后将进一步改善周边群众生产生活条件。</p>"),
            ],
        }
        cause = rng.choice(catalogue.CAUSES_BY_KIND[kind])
        if final < 100 and expected_progress(start, completion, as_of) - final >= 15:
            if rng.random() < 0.6:
                fields["revised_completion"] = completion + timedelta(days=rng.randint(45, 120))
                cause = rng.choice(DELAY_CAUSES)
                fields["delay_reason"] = catalogue.LAG_CAUSES[cause]["item"]
        item = ProjectPage(**fields)  # unsaved: the lag reasons read its dates and reasons
        published = timezone.make_aware(datetime.combine(start, time(9, rng.randint(0, 59))))
        return {
            "page": {"title": f"{place}{thing}{way}", "slug": str(number), "at": published},
            "fields": fields,
            "category": category,
            "updates": self.plan_updates(item, kind, cause, count, final, as_of),
        }

    def plan_updates(self, item, kind, cause, count, final, as_of):
        rng = self.rng
        start, completion = item.planned_start, item.planned_completion
        last_day = min(as_of, completion + timedelta(days=20)) if final == 100 else as_of
        span = max((last_day - start).days, 7 * count)
        updates, days = [], set()
        for i in range(1, count + 1):
            day = start + timedelta(days=round(span * i / count) - rng.randint(0, 6))
            day = min(max(day, start + timedelta(days=7)), last_day)
            while day in days:  # one update a day: the date is the update's address
                day -= timedelta(days=1)
            days.add(day)
            progress = final if i == count else max(3, round(final * i / count - rng.randint(0, 6)))
            on = as_of if i == count else day
            updates.append(
                {
                    "page": {
                        "title": _("Progress on %(date)s") % {"date": day.isoformat()},
                        "slug": day.isoformat(),
                        "at": timezone.make_aware(
                            datetime.combine(day, time(10, rng.randint(0, 59)))
                        ),
                    },
                    "fields": {
                        "date": day,
                        "progress": progress,
                        "invested": (item.budget * progress / 100).quantize(Decimal("0.01")),
                        "text": f"<p>{self.helper.update_text(kind, progress)}</p>",
                        "lag_reason": self.helper.lag_reason(
                            item, cause, start, completion, progress, on=on
                        ),
                    },
                    "photos": [],
                }
            )
        return updates

    # -- bulk inserts ------------------------------------------------------------------------

    def insert_pages(self, model, parent, pages, fields):
        """Insert published pages of `model` as the children of `parent` (which has none yet):
        the Page rows in bulk, then the model's own rows pointing at them."""
        base = []
        for index, page in enumerate(pages, start=1):
            base.append(
                Page(
                    content_type=self.page_types[model],
                    title=page["title"],
                    draft_title=page["title"],
                    slug=page["slug"],
                    path=Page._get_path(parent.path, parent.depth + 1, index),
                    depth=parent.depth + 1,
                    numchild=0,
                    url_path=f"{parent.url_path}{page['slug']}/",
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=page["at"],
                    last_published_at=page["at"],
                    latest_revision_created_at=None,
                    locale_id=parent.locale_id,
                    translation_key=uuid.uuid4(),
                )
            )
        Page.objects.bulk_create(base, batch_size=BATCH)
        Page.objects.filter(pk=parent.pk).update(numchild=len(base))
        specific = []
        for page, own in zip(base, fields, strict=True):
            row = model(page_ptr_id=page.pk, **own)
            for name in ("title", "slug", "path", "depth", "url_path", "live", "locale_id"):
                setattr(row, name, getattr(page, name))
            specific.append(row)
        # Django's bulk_create refuses multi-table models; insert the child table's columns the
        # way Model.save does after saving the parent row.
        local = model._meta.local_concrete_fields
        for offset in range(0, len(specific), BATCH):
            model._base_manager._insert(specific[offset : offset + BATCH], fields=local)
        return specific

    def insert_updates(self, plans, parents):
        by_parent = {}
        for plan, parent in zip(plans, parents, strict=True):
            by_parent.setdefault(parent.pk, (parent, []))[1].append(plan)
        pages = []
        for parent, children in by_parent.values():
            # Each item is a new page with no children: the same computed paths as insert_pages.
            for index, plan in enumerate(children, start=1):
                plan["path"] = Page._get_path(parent.path, parent.depth + 1, index)
                plan["parent"] = parent
        base = [
            Page(
                content_type=self.page_types[ProgressUpdatePage],
                title=plan["page"]["title"],
                draft_title=plan["page"]["title"],
                slug=plan["page"]["slug"],
                path=plan["path"],
                depth=plan["parent"].depth + 1,
                numchild=0,
                url_path=f"{plan['parent'].url_path}{plan['page']['slug']}/",
                live=True,
                has_unpublished_changes=False,
                first_published_at=plan["page"]["at"],
                last_published_at=plan["page"]["at"],
                locale_id=plan["parent"].locale_id,
                translation_key=uuid.uuid4(),
            )
            for plan in plans
        ]
        Page.objects.bulk_create(base, batch_size=BATCH)
        for parent, children in by_parent.values():
            parent.numchild = len(children)
        counts = {}
        for parent, children in by_parent.values():
            counts.setdefault(len(children), []).append(parent.pk)
        for numchild, pks in counts.items():
            Page.objects.filter(pk__in=pks).update(numchild=numchild)
        for page, plan in zip(base, plans, strict=True):
            row = ProgressUpdatePage(page_ptr_id=page.pk, **plan["fields"])
            row.path, row.depth = page.path, page.depth
            pages.append(row)
        local = ProgressUpdatePage._meta.local_concrete_fields
        for offset in range(0, len(pages), BATCH):
            ProgressUpdatePage._base_manager._insert(pages[offset : offset + BATCH], fields=local)
        return pages

    def insert_relations(self, plans, item_pages, update_plans, update_pages):
        """Photos (the demo's images), gallery, cover, milestones and tags."""
        rng = self.rng
        photos, gallery, milestones, tags, covers = [], [], [], [], {}
        update_iter = iter(zip(update_plans, update_pages, strict=True))
        for plan, item in zip(plans, item_pages, strict=True):
            source = rng.choice(self.photos[plan["category"]])
            taken = []
            for _update in plan["updates"]:
                update_plan, update_page = next(update_iter)
                for order in range(rng.choices(PHOTO_COUNTS, weights=PHOTO_WEIGHTS)[0]):
                    image_id = source[len(taken) % len(source)]
                    taken.append(image_id)
                    update_plan["photos"].append(image_id)
                    photos.append(
                        UpdatePhoto(page_id=update_page.pk, image_id=image_id, sort_order=order)
                    )
            if taken:
                first, last = taken[0], taken[-1]
                done = plan["updates"] and plan["updates"][-1]["fields"]["progress"] == 100
                pair = [(first, "before" if done and first != last else "")]
                if last != first:
                    pair.append((last, "after" if done else ""))
                for order, (image_id, stage) in enumerate(pair):
                    gallery.append(
                        ProjectGalleryImage(
                            page_id=item.pk, image_id=image_id, stage=stage, sort_order=order
                        )
                    )
                covers.setdefault(last, []).append(item.pk)
            final = plan["updates"][-1]["fields"]["progress"] if plan["updates"] else 0
            start, completion = item.planned_start, item.planned_completion
            duration = (completion - start).days
            for order, (name, planned, needed) in enumerate(
                [
                    ("立项批复", start - timedelta(days=30), 0),
                    ("开工建设", start, 1),
                    ("主体完工", start + timedelta(days=round(duration * 0.7)), 70),
                    ("竣工验收", completion, 100),
                ]
            ):
                reached = final >= needed and (needed < 100 or final == 100) and plan["updates"]
                milestones.append(
                    ProjectMilestone(
                        page_id=item.pk,
                        name=name,
                        planned_date=planned,
                        done_date=planned if reached else None,
                        sort_order=order,
                    )
                )
            tag = self.tags[rng.choice(TAGS[plan["category"]])]
            tags.append(ProjectTag(tag_id=tag.pk, content_object_id=item.pk))
        UpdatePhoto.objects.bulk_create(photos, batch_size=BATCH)
        ProjectGalleryImage.objects.bulk_create(gallery, batch_size=BATCH)
        ProjectMilestone.objects.bulk_create(milestones, batch_size=BATCH)
        ProjectTag.objects.bulk_create(tags, batch_size=BATCH)
        for image_id, pks in covers.items():
            ProjectPage.objects.filter(pk__in=pks).update(cover_image_id=image_id)

    def index(self, year_page):
        """Add the year's items and updates to the search index, in bulk."""
        backend = get_search_backend()
        items = (
            ProjectPage.objects.child_of(year_page)
            .select_related("category", "department", "district")
            .order_by("path")
        )
        for chunk in _chunks(items):
            backend.add_bulk(ProjectPage, chunk)
        updates = ProgressUpdatePage.objects.descendant_of(year_page).order_by("path")
        for chunk in _chunks(updates):
            backend.add_bulk(ProgressUpdatePage, chunk)


def _chunks(queryset, size=BATCH):
    chunk = []
    for obj in queryset.iterator(chunk_size=size):
        chunk.append(obj)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
