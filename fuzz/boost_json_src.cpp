// Boost.JSON compiled into the fuzz targets (built without the Debian library).
#include <boost/json/src.hpp>
