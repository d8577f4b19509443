using System;
using System.Collections;
using System.Collections.Generic;
using System.Net.Http;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Security;

namespace WeComExport.Tests.Api
{
    /// <summary>What an object still holds: every object reachable from it through fields, for tests that a secret is gone.</summary>
    internal static class ObjectGraph
    {
        public static List<T> Reachable<T>(object root, bool stopAtHandlers)
        {
            var found = new List<T>();
            Walk(root, stopAtHandlers, o =>
            {
                if (o is T item)
                {
                    found.Add(item);
                }
            });
            return found;
        }

        /// <summary>Visits every object reachable through fields; with <paramref name="stopAtHandlers"/> it stops at HTTP handlers (a test's scripted handler records requests, tokens included).</summary>
        public static void Walk(object root, bool stopAtHandlers, Action<object> visit)
        {
            var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
            var pending = new Stack<(object Item, int Depth)>();
            pending.Push((root, 0));
            while (pending.Count > 0)
            {
                (object item, int depth) = pending.Pop();
                if (!seen.Add(item) || (stopAtHandlers && item is HttpMessageHandler) || item is Type or MemberInfo or Assembly or Pointer)
                {
                    continue;
                }

                visit(item);
                if (item is string || item is SecureString || depth > 12)
                {
                    continue;
                }

                if (item is IEnumerable sequence and not string && item.GetType().IsArray)
                {
                    foreach (object? element in sequence)
                    {
                        if (element is not null && !element.GetType().IsValueType)
                        {
                            pending.Push((element, depth + 1));
                        }
                    }

                    continue;
                }

                for (Type? type = item.GetType(); type is not null; type = type.BaseType)
                {
                    foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    {
                        if (field.FieldType.IsPointer || field.FieldType.IsByRefLike)
                        {
                            continue;
                        }

                        object? value = field.GetValue(item);
                        if (value is not null && !value.GetType().IsPrimitive && !value.GetType().IsEnum)
                        {
                            pending.Push((value, depth + 1));
                        }
                    }
                }
            }
        }
    }
}
