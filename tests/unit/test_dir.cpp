#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "cnt/dir.hpp"

using namespace cnt;

TEST_CASE("DirReader lists entries but . and .., subdirs only directories", "[dir]") {
    char tmpl[] = "/tmp/cnt-unit-dir.XXXXXX";
    std::string top = ::mkdtemp(tmpl);
    REQUIRE(::mkdir((top + "/a").c_str(), 0755) == 0);
    REQUIRE(::mkdir((top + "/.b").c_str(), 0755) == 0);
    int f = ::open((top + "/file").c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    REQUIRE(f >= 0);
    ::close(f);

    std::vector<std::string> names;
    {
        DirReader d(top);
        REQUIRE(d);
        while (const dirent* e = d.next()) names.push_back(e->d_name);
        CHECK(errno == 0);
    }
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{".b", "a", "file"});

    auto subs = subdirs(top);
    std::sort(subs.begin(), subs.end());
    CHECK(subs == std::vector<std::string>{top + "/.b", top + "/a"});

    int fd = ::open(top.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    size_t n = 0;
    for (DirReader d = DirReader::open_at(fd, "."); d && d.next();) ++n;
    CHECK(n == 3);
    {
        // An O_PATH descriptor cannot be read as it is: an error, not an empty directory.
        DirReader d = DirReader::at(fd);
        CHECK((!d || (!d.next() && errno != 0)));
    }
    ::close(fd);

    errno = 0;
    CHECK_FALSE(DirReader(top + "/missing"));
    CHECK(errno == ENOENT);
    CHECK(subdirs(top + "/missing").empty());

    ::unlink((top + "/file").c_str());
    ::rmdir((top + "/a").c_str());
    ::rmdir((top + "/.b").c_str());
    ::rmdir(top.c_str());
}
