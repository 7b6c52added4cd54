package io.mocoj.local.chat.internal;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Python {@code str} methods that chat templates call on strings ({@code content.strip()},
 * {@code content.startswith('<think>')}, {@code content.split('</think>')}, …), which jinjava
 * would otherwise look up as Java methods. Only method calls on {@link String} values are handled;
 * everything else falls through to the next resolver.
 */
public final class PythonStringMethods extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String s) || method == null) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        Object result;
        switch (method.toString()) {
            case "upper" -> result = s.toUpperCase(Locale.ROOT);
            case "lower" -> result = s.toLowerCase(Locale.ROOT);
            case "strip" -> result = rstrip(lstrip(s, chars(args)), chars(args));
            case "lstrip" -> result = lstrip(s, chars(args));
            case "rstrip" -> result = rstrip(s, chars(args));
            case "startswith" -> result = affix(s, args, true);
            case "endswith" -> result = affix(s, args, false);
            case "split" -> result = split(s, args);
            case "replace" -> {
                if (args.length < 2) {
                    return null;
                }
                String from = String.valueOf(args[0]);
                String to = String.valueOf(args[1]);
                int count = args.length > 2 ? ((Number) args[2]).intValue() : -1;
                result = replace(s, from, to, count);
            }
            case "title" -> result = title(s);
            case "capitalize" -> result = s.isEmpty() ? s
                    : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
            case "find" -> result = (long) s.indexOf(String.valueOf(args.length > 0 ? args[0] : ""));
            case "count" -> result = (long) count(s, String.valueOf(args.length > 0 ? args[0] : ""));
            case "join" -> {
                if (args.length != 1 || !(args[0] instanceof Iterable<?> items)) {
                    return null;
                }
                List<String> parts = new ArrayList<>();
                for (Object item : items) {
                    parts.add(String.valueOf(item));
                }
                result = String.join(s, parts);
            }
            case "isspace" -> result = !s.isEmpty() && s.chars().allMatch(Character::isWhitespace);
            case "isdigit" -> result = !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            default -> {
                return null;
            }
        }
        context.setPropertyResolved(true);
        return result;
    }

    private static String chars(Object[] args) {
        return args.length > 0 && args[0] != null ? String.valueOf(args[0]) : null;
    }

    private static boolean stripped(int c, String chars) {
        return chars == null ? Character.isWhitespace(c) || Character.isSpaceChar(c) : chars.indexOf(c) >= 0;
    }

    private static String lstrip(String s, String chars) {
        int i = 0;
        while (i < s.length() && stripped(s.charAt(i), chars)) {
            i++;
        }
        return s.substring(i);
    }

    private static String rstrip(String s, String chars) {
        int i = s.length();
        while (i > 0 && stripped(s.charAt(i - 1), chars)) {
            i--;
        }
        return s.substring(0, i);
    }

    private static boolean affix(String s, Object[] args, boolean prefix) {
        if (args.length == 0) {
            return false;
        }
        Iterable<?> options = args[0] instanceof Iterable<?> it ? it : List.of(args[0]);
        for (Object option : options) {
            String o = String.valueOf(option);
            if (prefix ? s.startsWith(o) : s.endsWith(o)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> split(String s, Object[] args) {
        String sep = args.length > 0 && args[0] != null ? String.valueOf(args[0]) : null;
        int max = args.length > 1 ? ((Number) args[1]).intValue() : -1;
        List<String> parts = new ArrayList<>();
        if (sep == null) {
            // runs of whitespace, no empty strings
            int i = 0;
            while (i < s.length()) {
                while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i >= s.length()) {
                    break;
                }
                if (max >= 0 && parts.size() == max) {
                    parts.add(rstrip(s.substring(i), null));
                    return parts;
                }
                int j = i;
                while (j < s.length() && !Character.isWhitespace(s.charAt(j))) {
                    j++;
                }
                parts.add(s.substring(i, j));
                i = j;
            }
            return parts;
        }
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("empty separator");
        }
        int from = 0;
        int at;
        while ((max < 0 || parts.size() < max) && (at = s.indexOf(sep, from)) >= 0) {
            parts.add(s.substring(from, at));
            from = at + sep.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    private static String replace(String s, String from, String to, int count) {
        if (count < 0) {
            return s.replace(from, to);
        }
        StringBuilder out = new StringBuilder();
        int start = 0;
        int done = 0;
        int at;
        while (done < count && !from.isEmpty() && (at = s.indexOf(from, start)) >= 0) {
            out.append(s, start, at).append(to);
            start = at + from.length();
            done++;
        }
        return out.append(s.substring(start)).toString();
    }

    private static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(previousCased ? Character.toLowerCase(c) : Character.toUpperCase(c));
            previousCased = Character.isLetter(c);
        }
        return out.toString();
    }

    private static int count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1;
        }
        int n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // read-only: leaves the property unresolved for the next resolver
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
