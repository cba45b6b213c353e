package dev.dmatrace.kernel.boot;

import dev.dmatrace.kernel.KernelFunction;

/**
 * lib/cmdline.c {@code memparse} over {@code simple_strtoull(s, &end, 0)}: a number in C's base-0 syntax
 * ({@code 0x} hex, leading-0 octal, decimal) with an optional K/M/G/T/P/E suffix in either case. Like the kernel it
 * never fails: it reads what it can, wraps on overflow, and says where it stopped.
 */
public final class Memparse {

    /** The value and the index just past what was consumed ({@code *retptr}). */
    public record Result(long value, int end) {
    }

    private Memparse() {
    }

    @KernelFunction(symbol = "memparse", file = "lib/cmdline.c")
    public static Result memparse(String s, int from) {
        Result n = simpleStrtoull(s, from);
        long ret = n.value();
        int end = n.end();
        int shift = switch (end < s.length() ? Character.toLowerCase(s.charAt(end)) : 0) {
            case 'e' -> 60;
            case 'p' -> 50;
            case 't' -> 40;
            case 'g' -> 30;
            case 'm' -> 20;
            case 'k' -> 10;
            default -> 0;
        };
        if (shift != 0) {
            ret <<= shift;
            end++;
        }
        return new Result(ret, end);
    }

    public static long memparse(String s) {
        return memparse(s, 0).value();
    }

    /** Base 0: {@code _parse_integer_fixup_radix} then {@code _parse_integer}, overflow ignored (wraps). */
    @KernelFunction(symbol = "simple_strtoull", file = "lib/vsprintf.c")
    static Result simpleStrtoull(String s, int from) {
        int base;
        int i = from;
        if (charAt(s, i) == '0') {
            boolean hex = Character.toLowerCase(charAt(s, i + 1)) == 'x' && Character.digit(charAt(s, i + 2), 16) >= 0;
            base = hex ? 16 : 8;
            if (hex) {
                i += 2;
            }
        } else {
            base = 10;
        }
        long res = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            int lc = c | 0x20;
            int val;
            if (c >= '0' && c <= '9') {
                val = c - '0';
            } else if (lc >= 'a' && lc <= 'f') {
                val = lc - 'a' + 10;
            } else {
                break;
            }
            if (val >= base) {
                break;
            }
            res = res * base + val;
        }
        return new Result(res, i);
    }

    private static char charAt(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }
}
