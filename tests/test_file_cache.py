"""The default cache on one machine (portal.file_cache): a folder every process shares, which
stays within its MAX_ENTRIES without listing itself on every write."""

from portal import file_cache


def folder_cache(path, max_entries):
    return file_cache.FileCache(str(path), {"OPTIONS": {"MAX_ENTRIES": max_entries}})


def test_writes_do_not_list_the_whole_folder_each_time(tmp_path, monkeypatch):
    cache = folder_cache(tmp_path, 1000)
    listings = []
    list_files = cache._list_cache_files
    monkeypatch.setattr(cache, "_list_cache_files", lambda: listings.append(1) or list_files())

    for number in range(200):
        cache.set(f"page:/2022/{number}/", f"<h1>{number}</h1>")

    assert len(listings) == 1  # Django's own backend: 200
    assert cache.get("page:/2022/199/") == "<h1>199</h1>"


def test_a_folder_past_its_limit_is_still_culled(tmp_path, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(file_cache.time, "monotonic", lambda: clock[0])
    cache = folder_cache(tmp_path, 20)

    for number in range(50):  # a burst within one minute may overshoot the limit...
        cache.set(f"page:{number}", number)
    assert len(list(tmp_path.glob("*.djcache"))) == 50

    for _minute in range(3):  # ...and the next writes, a minute apart, bring it back under
        clock[0] += 61
        cache.set(f"page:{clock[0]}", 0)
    assert len(list(tmp_path.glob("*.djcache"))) <= 20
