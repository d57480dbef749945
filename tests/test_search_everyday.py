"""Residents' words against the demo list: single characters, colloquial words, synonyms, English.

The queries are what people type (看病, 上学, 路, 老人吃饭, hospital), not our titles. Each row
names items the search must find and, for precision, items it must not; the demo data is the
2022 list of 100 items from the seed document and the 2021 list (projects/demo).
"""

from datetime import date

from django.conf import settings
from django.test import TestCase

from projects.demo.loader import DemoLoader

HEALTH_STATION = "大旺街道社区卫生服务站标准化建设"
POCKET_PARK = "大旺街道口袋公园建设"
ROAD_RESURFACING = "大旺街道道路“白改黑”及路灯改造"
CANTEEN = "大沙片区长者饭堂"
PEOPLES_HOSPITAL = "高新区人民医院创建二级甲等医院"
CHINESE_MEDICINE = "粤大中医院创建二级中医院"
SPORTS_PARK = "将军山体育公园建设"
FOREST_PARK = "大南山森林公园建设"
SCHOOL = "育才学校新建工程"
PRIMARY_SCHOOL = "高新区第一小学教学楼扩建"
KINDERGARTEN = "大沙幼儿园新建工程"

# query: (titles it must find, titles it must not find)
EVERYDAY_QUERIES = {
    # roads and getting about
    "路": (["迳口至大沙断头路打通", ROAD_RESURFACING, "大旺大道升级改造"], [SPORTS_PARK, SCHOOL]),
    "修路": ([ROAD_RESURFACING, "迳口至大沙断头路打通", "创新大街升级改造"], [CANTEEN]),
    "马路": ([ROAD_RESURFACING, "大旺大道升级改造"], [POCKET_PARK]),
    "白改黑": (["大旺大道升级改造", ROAD_RESURFACING], [SCHOOL]),
    "路灯坏了": ([ROAD_RESURFACING], [SPORTS_PARK]),
    "停车": (["公共停车场建设"], [CANTEEN]),
    "坐公交": (["公交候车亭新建和改造", "新增和优化公交线路"], [SCHOOL]),
    # health
    "看病": (
        [PEOPLES_HOSPITAL, CHINESE_MEDICINE, HEALTH_STATION, "家庭医生签约服务提质"],
        [SPORTS_PARK],
    ),
    "医院": (
        [PEOPLES_HOSPITAL, CHINESE_MEDICINE, HEALTH_STATION],
        [SPORTS_PARK, FOREST_PARK, POCKET_PARK],
    ),
    "新医院": ([PEOPLES_HOSPITAL, CHINESE_MEDICINE], [POCKET_PARK]),
    "卫生院": ([HEALTH_STATION, "麒麟湖片区社区卫生服务站标准化建设"], [PEOPLES_HOSPITAL]),
    "社区卫生服务中心": ([HEALTH_STATION], [SCHOOL]),
    "看医生": (["家庭医生签约服务提质", PEOPLES_HOSPITAL], [ROAD_RESURFACING]),
    "附近哪里有诊所": ([HEALTH_STATION], [SPORTS_PARK]),
    # schools and children
    "上学": ([SCHOOL, PRIMARY_SCHOOL, KINDERGARTEN, "大旺中学运动场改造"], [CANTEEN]),
    "学校": ([SCHOOL, PRIMARY_SCHOOL, KINDERGARTEN, "高新区第二小学建设"], [HEALTH_STATION]),
    "幼儿园": ([KINDERGARTEN], [SCHOOL]),
    "孩子读书": ([SCHOOL, PRIMARY_SCHOOL], [CANTEEN]),
    "校": ([SCHOOL, "中小学校园饮水设施改造"], [HEALTH_STATION]),
    # parks and exercise
    "公园": ([SPORTS_PARK, FOREST_PARK, POCKET_PARK], [PEOPLES_HOSPITAL, SCHOOL]),
    "跑步": (["大旺中学运动场改造", "龙王庙水库碧道建设", SPORTS_PARK], [HEALTH_STATION]),
    "散步": (["龙王庙水库碧道建设", "绥江（高新区段）碧道建设", SPORTS_PARK], [SCHOOL]),
    "健身": (["全民健身广场建设", "大旺街道社区健身路径", SPORTS_PARK], [HEALTH_STATION]),
    "打球": ([SPORTS_PARK, "全民健身广场建设", "大旺中学运动场改造"], [CANTEEN]),
    "爬山": ([FOREST_PARK, "将军山登山步道"], [SCHOOL]),
    "山": ([SPORTS_PARK, FOREST_PARK], [CANTEEN]),
    "湖": (["麒麟湖综合整治"], [SCHOOL]),
    # elderly care
    "老人吃饭": (["长者饭堂建设", CANTEEN], ["中小学食堂“明厨亮灶”提升"]),
    "饭堂": (["长者饭堂建设", CANTEEN], [SCHOOL]),
    "食堂": (["中小学食堂“明厨亮灶”提升", "长者饭堂建设"], [PEOPLES_HOSPITAL]),
    "老人": (["居家养老服务站建设", "老旧小区加装电梯", "区级养老院改造", CANTEEN], [SCHOOL]),
    "养老院": (["区级养老院改造"], [SCHOOL]),
    "电梯": (["老旧小区加装电梯"], [SCHOOL]),
    # daily life and safety
    "上厕所": (["公共厕所新建和改造"], [SCHOOL]),
    "买菜": (["农贸市场升级改造"], [SCHOOL]),
    "垃圾": (["生活垃圾分类示范小区建设"], [SCHOOL]),
    "臭水沟": (["黑臭水体治理巩固提升", "大旺街道雨污分流改造"], [SCHOOL]),
    "着火": (["大沙消防站建设", "大南山森林防火通道建设"], [CANTEEN]),
    "电动车充电": (["电动自行车集中充电设施"], [SCHOOL]),
    "摄像头": (["视频监控“补盲”工程"], [SCHOOL]),
    "找工作": (["就业驿站建设"], [SCHOOL]),
    "残疾人": (["残疾人康复服务中心"], [SCHOOL]),
    "图书馆": (["图书阅览中心建设"], [SCHOOL]),
    # English
    "hospital": ([PEOPLES_HOSPITAL, CHINESE_MEDICINE, HEALTH_STATION], [SPORTS_PARK, POCKET_PARK]),
    "school": ([SCHOOL, PRIMARY_SCHOOL, KINDERGARTEN], [PEOPLES_HOSPITAL]),
    "park": ([SPORTS_PARK, FOREST_PARK, POCKET_PARK], [PEOPLES_HOSPITAL]),
    "road": (["大旺大道升级改造", "迳口至大沙断头路打通", ROAD_RESURFACING], [SCHOOL]),
    "toilets": (["公共厕所新建和改造"], [SCHOOL]),
    "library": (["图书阅览中心建设"], [SCHOOL]),
    "elderly canteen": (["长者饭堂建设", CANTEEN], [SCHOOL]),
    "fire station": (["大沙消防站建设"], [SCHOOL]),
    "bus": (["公交候车亭新建和改造"], [SCHOOL]),
}

# At most this many items for a single character: 路 must not return every item.
SINGLE_CHARACTER_LIMIT = 30


class EverydayWordsTests(TestCase):
    """The search test table: every row passes, on SQLite and PostgreSQL alike."""

    @classmethod
    def setUpTestData(cls):
        # Small photos keep the suite fast; the items, texts and updates are the demo's own.
        DemoLoader(as_of=date(2022, 10, 31), photo_size=(96, 64)).run()

    def titles_found(self, query):
        response = self.client.get("/search/", {"q": query})
        self.assertEqual(response.status_code, 200)
        return [item.title for item in response.context["results"]]

    def test_the_table_has_at_least_40_queries(self):
        self.assertGreaterEqual(len(EVERYDAY_QUERIES), 40)

    def test_every_query_finds_its_items_and_not_the_others(self):
        for query, (wanted, unwanted) in EVERYDAY_QUERIES.items():
            with self.subTest(query=query):
                found = self.titles_found(query)
                self.assertFalse(set(wanted) - set(found), f"{query}: missing")
                self.assertFalse(set(unwanted) & set(found), f"{query}: should not match")

    def test_single_characters_find_a_few_items_not_all(self):
        for query in ("路", "山", "湖", "校"):
            with self.subTest(query=query):
                self.assertLessEqual(len(self.titles_found(query)), SINGLE_CHARACTER_LIMIT)

    def test_items_about_the_thing_come_before_items_that_mention_it(self):
        # 公共停车场建设 builds car parks "near hospitals and schools": found, but last.
        for query, first in (("医院", PEOPLES_HOSPITAL), ("学校", SCHOOL)):
            with self.subTest(query=query):
                found = self.titles_found(query)
                self.assertEqual(found[0], first)
                self.assertGreater(found.index("公共停车场建设"), len(found) // 2)

    def test_english_titles_show_on_the_english_site(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = self.client.get("/search/", {"q": "hospital"})
        self.assertContains(response, "People&#x27;s Hospital upgraded to a grade II-A hospital")
