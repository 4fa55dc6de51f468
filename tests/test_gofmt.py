from k8snb.util.gofmt import go_format_float, go_quote, go_sharp_v, go_sprint, json_marshal


def test_go_sprint_prints_values_as_fmt_does():
    assert go_sprint({"b": [1, "x"], "a": None}) == "map[a:<nil> b:[1 x]]"
    assert go_sprint([True, 1.5, 1e6]) == "[true 1.5 1e+06]"


def test_go_quote_and_sharp_v():
    assert go_quote('a"b\n') == '"a\\"b\\n"'
    assert go_sharp_v({"k": [1, "v"]}) == 'map[string]interface {}{"k":[]interface {}{1, "v"}}'
    assert go_sharp_v(None) == "interface {}(nil)"


def test_float_and_json_formats_differ_as_in_go():
    assert go_format_float(1e-7) == "1e-07"
    assert json_marshal(1e-7) == "1e-7"
