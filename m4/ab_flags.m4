dnl SPDX-License-Identifier: GPL-2.0-or-later
# AB_CHECK_CFLAG(FLAG, VARIABLE, [EXTRA-FLAGS])
# Appends FLAG to VARIABLE when the C compiler accepts it without a warning.
AC_DEFUN([AB_CHECK_CFLAG], [
  AC_MSG_CHECKING([whether $CC accepts $1])
  ab_save_CFLAGS=$CFLAGS
  CFLAGS="$CFLAGS -Werror $3 $1"
  AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [return 0;])],
    [AC_MSG_RESULT([yes]); $2="$$2 $1"], [AC_MSG_RESULT([no])])
  CFLAGS=$ab_save_CFLAGS
])

# AB_CHECK_LDFLAG(FLAG, VARIABLE, [EXTRA-FLAGS])
# Appends FLAG to VARIABLE when the compiler driver links with it.
AC_DEFUN([AB_CHECK_LDFLAG], [
  AC_MSG_CHECKING([whether $CC links with $1])
  ab_save_LDFLAGS=$LDFLAGS
  ab_save_CFLAGS=$CFLAGS
  CFLAGS="$CFLAGS $3"
  LDFLAGS="$LDFLAGS -Werror $1"
  AC_LINK_IFELSE([AC_LANG_PROGRAM([], [return 0;])],
    [AC_MSG_RESULT([yes]); $2="$$2 $1"], [AC_MSG_RESULT([no])])
  LDFLAGS=$ab_save_LDFLAGS
  CFLAGS=$ab_save_CFLAGS
])
