// libxlsxwriter as Debian installs it (libxlsxwriter-dev), loaded when the first workbook is
// written rather than linked: with the libraries it needs (libcrypto, libminizip) it was half
// of the symbol lookups the dynamic loader made before every fupin command ran a line
// (BENCHMARKS.md, start-up), and most commands write no workbook.
//
// Each function fupin uses has a `fx_` twin here calling the library's own through a pointer
// found with dlsym. `fx_xlsx_load()` must have returned NULL (loaded) before any twin is called.
#include <dlfcn.h>
#include <stddef.h>
#include <xlsxwriter.h>

/// The library's handle (loaded on first use), or NULL when it cannot be loaded.
static inline void *fx_xlsx_handle(void) {
    static void *handle = NULL;
    if (handle == NULL) handle = dlopen("libxlsxwriter.so.4", RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) handle = dlopen("libxlsxwriter.so", RTLD_NOW | RTLD_LOCAL);
    return handle;
}

/// `name` in the library, or NULL.
static inline void *fx_xlsx_symbol(const char *name) {
    void *handle = fx_xlsx_handle();
    return handle == NULL ? NULL : dlsym(handle, name);
}

// A twin: the pointer is looked up once per including file, on the first call.
#define FX_XLSX(ret, name, params, args) \
    static inline ret fx_##name params { \
        static ret (*f) params = NULL; \
        if (f == NULL) f = (ret (*) params) fx_xlsx_symbol(#name); \
        return f args; \
    }

FX_XLSX(lxw_workbook *, workbook_new, (const char *filename), (filename))
FX_XLSX(lxw_worksheet *, workbook_add_worksheet, (lxw_workbook *workbook, const char *sheetname), (workbook, sheetname))
FX_XLSX(lxw_format *, workbook_add_format, (lxw_workbook *workbook), (workbook))
FX_XLSX(lxw_error, workbook_close, (lxw_workbook *workbook), (workbook))
FX_XLSX(char *, lxw_strerror, (lxw_error error_num), (error_num))
FX_XLSX(void, format_set_font_name, (lxw_format *format, const char *font_name), (format, font_name))
FX_XLSX(void, format_set_font_size, (lxw_format *format, double size), (format, size))
FX_XLSX(void, format_set_border, (lxw_format *format, uint8_t style), (format, style))
FX_XLSX(void, format_set_align, (lxw_format *format, uint8_t alignment), (format, alignment))
FX_XLSX(void, format_set_bold, (lxw_format *format), (format))
FX_XLSX(void, format_set_text_wrap, (lxw_format *format), (format))
FX_XLSX(void, format_set_num_format, (lxw_format *format, const char *num_format), (format, num_format))
FX_XLSX(lxw_error, worksheet_write_string,
        (lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col, const char *string, lxw_format *format),
        (worksheet, row, col, string, format))
FX_XLSX(lxw_error, worksheet_write_blank, (lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col, lxw_format *format),
        (worksheet, row, col, format))
FX_XLSX(lxw_error, worksheet_write_number,
        (lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col, double number, lxw_format *format),
        (worksheet, row, col, number, format))
FX_XLSX(lxw_error, worksheet_write_datetime,
        (lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col, lxw_datetime *datetime, lxw_format *format),
        (worksheet, row, col, datetime, format))
FX_XLSX(lxw_error, worksheet_set_column,
        (lxw_worksheet *worksheet, lxw_col_t first_col, lxw_col_t last_col, double width, lxw_format *format),
        (worksheet, first_col, last_col, width, format))
FX_XLSX(void, worksheet_freeze_panes, (lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col), (worksheet, row, col))
FX_XLSX(lxw_error, worksheet_repeat_rows, (lxw_worksheet *worksheet, lxw_row_t first_row, lxw_row_t last_row),
        (worksheet, first_row, last_row))
FX_XLSX(void, worksheet_set_paper, (lxw_worksheet *worksheet, uint8_t paper_type), (worksheet, paper_type))
FX_XLSX(void, worksheet_set_landscape, (lxw_worksheet *worksheet), (worksheet))
FX_XLSX(void, worksheet_fit_to_pages, (lxw_worksheet *worksheet, uint16_t width, uint16_t height), (worksheet, width, height))
FX_XLSX(void, worksheet_center_horizontally, (lxw_worksheet *worksheet), (worksheet))
FX_XLSX(lxw_error, worksheet_set_footer, (lxw_worksheet *worksheet, const char *string), (worksheet, string))

/// NULL when the library and every function above are there; else what is missing (for the
/// error a user sees).
static inline const char *fx_xlsx_load(void) {
    static const char *const names[] = {
        "workbook_new", "workbook_add_worksheet", "workbook_add_format", "workbook_close", "lxw_strerror",
        "format_set_font_name", "format_set_font_size", "format_set_border", "format_set_align", "format_set_bold",
        "format_set_text_wrap", "format_set_num_format", "worksheet_write_string", "worksheet_write_blank",
        "worksheet_write_number", "worksheet_write_datetime", "worksheet_set_column", "worksheet_freeze_panes",
        "worksheet_repeat_rows", "worksheet_set_paper", "worksheet_set_landscape", "worksheet_fit_to_pages",
        "worksheet_center_horizontally", "worksheet_set_footer",
    };
    if (fx_xlsx_handle() == NULL) return "libxlsxwriter.so.4 cannot be loaded (Debian: apt install libxlsxwriter4)";
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (fx_xlsx_symbol(names[i]) == NULL) return names[i];
    }
    return NULL;
}
