# The captcha image (issue 6): compiled into baogao_web, drawn with libgd
# (Debian's libgd-dev). GLOBAL so that tests/web can link the same target.
set(BAOGAO_WEB_CAPTCHA_SOURCES captcha.cc)
find_package(PkgConfig REQUIRED)
if(NOT TARGET PkgConfig::GDLIB)
  pkg_check_modules(GDLIB REQUIRED IMPORTED_TARGET GLOBAL gdlib)
endif()
