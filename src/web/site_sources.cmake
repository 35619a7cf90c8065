# The application side of src/web (site, pages, feeds, templates): sources
# listed here are compiled into baogao_web with the transport (server.cc).
set(BAOGAO_WEB_SITE_SOURCES site.cc render.cc pages.cc feeds.cc guard.cc community.cc admin.cc
    slot_gzip.cc)

# Where the site finds web/ when no copy sits beside the binary.
set_source_files_properties(${CMAKE_CURRENT_SOURCE_DIR}/site.cc PROPERTIES
  COMPILE_DEFINITIONS "BAOGAO_WEB_SOURCE_ASSETS=\"${PROJECT_SOURCE_DIR}/web\"")

# A copy of web/ (templates, static files) at share/baogao/web in the build
# tree, found by the binary as <exe>/../share/baogao/web.
file(GLOB_RECURSE BAOGAO_WEB_ASSET_FILES CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/web/templates/* ${PROJECT_SOURCE_DIR}/web/static/*)
set(BAOGAO_WEB_ASSETS_STAMP ${CMAKE_BINARY_DIR}/share/baogao/web.stamp)
add_custom_command(
  OUTPUT ${BAOGAO_WEB_ASSETS_STAMP}
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${CMAKE_BINARY_DIR}/share/baogao/web
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${PROJECT_SOURCE_DIR}/web
          ${CMAKE_BINARY_DIR}/share/baogao/web
  COMMAND ${CMAKE_COMMAND} -E touch ${BAOGAO_WEB_ASSETS_STAMP}
  DEPENDS ${BAOGAO_WEB_ASSET_FILES}
  COMMENT "Copying web/ templates and static files to share/baogao/web"
  VERBATIM)
add_custom_target(baogao_web_assets ALL DEPENDS ${BAOGAO_WEB_ASSETS_STAMP})
