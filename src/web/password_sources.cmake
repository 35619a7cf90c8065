# Admin passwords (issue 6): argon2id hashes, compiled into baogao_web, with
# libargon2 (Debian's libargon2-dev). Included after baogao_module(web), so
# it adds to the target directly. GLOBAL so that tests/web can link the same
# imported target.
find_package(PkgConfig REQUIRED)
if(NOT TARGET PkgConfig::ARGON2)
  pkg_check_modules(ARGON2 REQUIRED IMPORTED_TARGET GLOBAL libargon2)
endif()
target_sources(baogao_web PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/password.cc)
target_link_libraries(baogao_web PRIVATE PkgConfig::ARGON2)
