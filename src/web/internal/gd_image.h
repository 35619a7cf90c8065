// RAII for libgd (gd.h): images and the buffers gd allocates. The one place
// in web/ that owns gd handles; captcha.cc and its test use it.
#ifndef BAOGAO_WEB_INTERNAL_GD_IMAGE_H_
#define BAOGAO_WEB_INTERNAL_GD_IMAGE_H_

#include <gd.h>

#include <memory>

namespace baogao::web::internal {

struct GdImageDeleter {
  void operator()(gdImagePtr image) const { gdImageDestroy(image); }
};
// An image created by gdImageCreate*(); null when gd could not allocate it.
using GdImage = std::unique_ptr<gdImage, GdImageDeleter>;

struct GdFreeDeleter {
  void operator()(void* p) const { gdFree(p); }
};
// A buffer returned by gd (gdImagePngPtr and friends), released with gdFree.
using GdBuffer = std::unique_ptr<void, GdFreeDeleter>;

}  // namespace baogao::web::internal

#endif  // BAOGAO_WEB_INTERNAL_GD_IMAGE_H_
