# `cpack -G DEB` in the build folder: a .deb of what `cmake --install` installs (the binary, its
# completion scripts and man page). The runtime libraries are found by dpkg-shlibdeps.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cordon)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "cordon maintainers <cordon@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "respond to a compromised Amazon EC2 instance")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# A shipped binary carries no debug information (RelWithDebInfo's would multiply the package's size).
set(CPACK_STRIP_FILES ON)
set(CPACK_SET_DESTDIR OFF)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
